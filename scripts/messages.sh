#!/usr/bin/env bash
# Updates locale/<lang>/LC_MESSAGES/django.po from the code and templates (zh_Hans and en),
# then compiles them to the .mo files Django reads. Needs GNU gettext (installed if missing).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then
    apt_install gettext
fi
export DJANGO_SETTINGS_MODULE=supplychain_party.settings.base
mkdir -p locale
ignore=(--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media --ignore=.celery)
"$PY" manage.py makemessages -l zh_Hans --no-obsolete "${ignore[@]}"
"$PY" manage.py compilemessages "${ignore[@]}"
