#!/usr/bin/env bash
# Sets up everything the portal needs from its own files: a Python 3.12 virtualenv in .venv
# with the dependencies of pyproject.toml (main + test extras), the npm front-end assets in
# node_modules/ and, when there are translations, their compiled .mo files.
#
# Idempotent and fast when nothing changed: it remembers a hash of pyproject.toml and of
# package-lock.json and reinstalls only when they change.
#
#   PYTHON=/path/to/python3.12 scripts/setup.sh   # use this interpreter for a new .venv
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

is_py312() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; }

find_python() {
    local candidates=() root
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    for root in "${PYENV_ROOT:-}" "$(pyenv root 2>/dev/null || true)" "$HOME/.pyenv"; do
        [ -n "$root" ] || continue
        # Newest 3.12.x first.
        while IFS= read -r p; do candidates+=("$p"); done < <(
            ls -d "$root"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V -r
        )
    done
    local onpath
    onpath="$(command -v python3.12 2>/dev/null || true)"
    [ -n "$onpath" ] && candidates+=("$onpath")
    candidates+=(/usr/local/bin/python3.12 /usr/bin/python3.12)
    local c
    for c in "${candidates[@]}"; do
        if is_py312 "$c"; then
            printf '%s\n' "$c"
            return 0
        fi
    done
    return 1
}

# --- Python virtualenv ---------------------------------------------------------------
if [ -e "$VENV" ] && ! is_py312 "$PY"; then
    warn "$VENV exists but is not a working Python 3.12 virtualenv: recreating it"
    rm -rf "$VENV"
fi
if [ ! -e "$VENV" ]; then
    python312="$(find_python)" || die "Python 3.12 was not found.
The portal needs Python 3.12 (pyproject.toml: requires-python >=3.12,<3.13).
Looked in \$PYTHON, \$(pyenv root)/versions/3.12.*, ~/.pyenv/versions/3.12.* and python3.12 on PATH.
Install it, e.g. 'pyenv install 3.12', or point PYTHON=/path/to/python3.12 at one."
    say "creating $VENV with $python312"
    "$python312" -m venv "$VENV" || die "could not create the virtualenv in $VENV"
fi

py_stamp="$VENV/.setup-stamp"
py_hash="$(sha256sum <pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$py_stamp" 2>/dev/null || true)" != "$py_hash" ]; then
    # The dependencies and the test extra of pyproject.toml, installed without building the
    # project itself (it is run from the checkout), so no *.egg-info litters the tree.
    say "installing Python dependencies (pyproject.toml: dependencies + test extra)"
    "$PY" - >"$VENV/requirements.txt" <<'PYDEPS'
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))
PYDEPS
    # (This machine's pip configuration warns about missing local indexes: filtered out.)
    if ! "$PY" -m pip install --disable-pip-version-check --quiet -r "$VENV/requirements.txt" 2>&1 |
        { grep -v "^WARNING: Location '.*' is ignored" || true; }; then
        die "pip install failed (see above)"
    fi
    printf '%s\n' "$py_hash" >"$py_stamp"
else
    say "Python dependencies are up to date ($VENV)"
fi

# --- Front-end assets (Bootstrap, Bootstrap Icons) -------------------------------------
command -v npm >/dev/null 2>&1 ||
    die "npm was not found. Install Node.js 20 with npm (e.g. 'apt-get install nodejs npm'): the
portal serves Bootstrap and Bootstrap Icons from node_modules/."
npm_stamp="node_modules/.setup-stamp"
npm_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$npm_hash" ]; then
    say "installing front-end assets (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error </dev/null || die "npm ci failed (see above)"
    printf '%s\n' "$npm_hash" >"$npm_stamp"
else
    say "front-end assets are up to date (node_modules/)"
fi

# --- Translations ----------------------------------------------------------------------
# The interface strings are English in the code and Chinese in locale/*.po; Django reads the
# compiled .mo files. Compile when a .po is newer than its .mo.
stale_po=0
while IFS= read -r po; do
    if [ ! -e "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
        stale_po=1
    fi
done < <(find . -path ./.venv -prune -o -path ./node_modules -prune -o -name '*.po' -print)
if [ "$stale_po" -eq 1 ]; then
    command -v msgfmt >/dev/null 2>&1 || apt_install gettext
    say "compiling translations (compilemessages)"
    DJANGO_SETTINGS_MODULE=supplychain_party.settings.base "$PY" manage.py compilemessages \
        --ignore=.venv --ignore=node_modules >/dev/null || die "compilemessages failed"
fi
say "set-up done"
