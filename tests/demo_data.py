"""Loading the demo in tests: `load_demo()` runs the command as `make demo` does."""

from io import StringIO

from django.core.management import call_command


def load_demo() -> str:
    """Run `manage.py load_demo --force`; return what it printed."""
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()
