"""The UI speaks Chinese by default: every string the code marks is translated.

`make messages` extracts the strings and compiles the catalogues; these tests fail
when a marked string has no Chinese translation, or the compiled catalogue that
Django loads is older than its source.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUE = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries(po_path: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) for a .po file; plural forms keyed by the singular."""
    result: dict[str, tuple[str, bool]] = {}
    msgid = msgstr = None
    fuzzy = False
    field = None

    def flush() -> None:
        if msgid:  # the header has an empty msgid
            result[msgid] = (msgstr or "", fuzzy)

    for line in po_path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            flush()
            msgid, msgstr, field = _unquote(line[6:]), None, "id"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0] "):
            msgstr, field = _unquote(line.split(" ", 1)[1]), "str"
        elif line.startswith("msgstr["):
            field = "other"
        elif line.startswith('"'):
            if field == "id":
                msgid += _unquote(line)
            elif field == "str":
                msgstr += _unquote(line)
        elif not line.strip():
            flush()
            msgid = msgstr = None
            fuzzy = False
            field = None
    flush()
    return result


def _unquote(text: str) -> str:
    return text.strip()[1:-1].encode().decode("unicode_escape").encode("latin-1").decode()


def test_it_translates_every_string_in_the_catalogue():
    missing = [mid for mid, (mstr, fuzzy) in entries(CATALOGUE).items() if not mstr or fuzzy]
    assert missing == []


# What `make messages` leaves out of the extraction (scripts/messages.sh), plus the
# catalogue itself: dot folders (.venv, .celery, .git) are ignored by default.
NOT_EXTRACTED = {"locale", "node_modules", "staticfiles", "media"}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_it_has_no_marked_string_left_out_of_the_catalogue(tmp_path, monkeypatch):
    """Extract afresh into a scratch folder and compare with the committed catalogue.

    makemessages writes into any `locale` folder it finds below the working directory,
    so it runs in a scratch tree of links to the project's folders, without `locale`:
    the committed catalogue is never touched.
    """
    tree = tmp_path / "tree"
    tree.mkdir()
    for entry in Path(settings.BASE_DIR).iterdir():
        if entry.name not in NOT_EXTRACTED and not entry.name.startswith("."):
            (tree / entry.name).symlink_to(entry)
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            symlinks=True,
            verbosity=0,
            ignore_patterns=[".venv/*", "node_modules/*", "staticfiles/*", "media/*"],
        )
    fresh = set(entries(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert sorted(fresh - set(entries(CATALOGUE))) == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_it_ships_a_compiled_catalogue_matching_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE)], check=True)  # noqa: S603,S607
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes()
