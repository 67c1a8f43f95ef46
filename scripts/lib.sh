# Shared helpers for the set-up scripts; sourced, never run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
    printf '\n\033[1;31mERROR:\033[0m %s\n\n' "$*" >&2
    exit 1
}

_APT_UPDATED=0
# apt_install PKG...: install Debian packages (needs root and apt-get); runs `apt-get update`
# once per script first.
apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        die "cannot install $*: apt-get not found (this set-up expects Debian 12). Install them by hand."
    if [ "$(id -u)" -ne 0 ]; then
        die "cannot install $*: run as root, or install them by hand: sudo apt-get install $*"
    fi
    if [ "$_APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || die "apt-get update failed"
        _APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null \
        || die "apt-get install $* failed"
}

# wait_for SECONDS COMMAND...: retry COMMAND every 0.5 s until it succeeds, at most SECONDS.
wait_for() {
    local seconds="$1"
    shift
    local tries=$((seconds * 2))
    for ((i = 0; i < tries; i++)); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}
