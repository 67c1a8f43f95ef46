#!/usr/bin/env bash
# The browser for the journeys in tests/browser: Debian's chromium and a CJK font (without
# one, the Chinese pages are screenshotted as boxes). Installed with apt-get when absent;
# Playwright's own browsers are never downloaded. Idempotent, instant when both are there.
#
# When they cannot be installed this only warns: the rest of the suite still runs, and the
# browser journeys then fail with a clear message (they never skip).
#
#   CHROMIUM_PATH=/path/to/chromium scripts/browser.sh   # use that binary instead
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

chromium_path() {
    if [ -n "${CHROMIUM_PATH:-}" ]; then
        printf '%s\n' "$CHROMIUM_PATH"
    else
        command -v chromium 2>/dev/null || printf '%s\n' /usr/bin/chromium
    fi
}
has_chromium() { [ -x "$(chromium_path)" ]; }
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family)" ]; }

missing=()
has_chromium || missing+=(chromium)
has_cjk_font || missing+=(fonts-wqy-microhei)
if [ "${#missing[@]}" -gt 0 ]; then
    # In a subshell: apt_install dies on failure, and this script only warns.
    (apt_install "${missing[@]}") || true
fi

if ! has_chromium; then
    warn "Chromium is not installed ($(chromium_path)): the browser journeys (tests/browser) will fail.
Install it: apt-get install chromium fonts-wqy-microhei, or set CHROMIUM_PATH."
elif ! has_cjk_font; then
    warn "no CJK font: the browser journeys' screenshots will show boxes for Chinese.
Install one: apt-get install fonts-wqy-microhei (or fonts-noto-cjk)."
else
    say "browser for the journeys: $("$(chromium_path)" --version 2>/dev/null || chromium_path)"
fi
