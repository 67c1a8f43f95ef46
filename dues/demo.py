"""The membership dues demo (called at the end of `members.demo.load()`)."""


def load(report) -> None:
    """Add the demo rows that are missing; count them in the report."""
