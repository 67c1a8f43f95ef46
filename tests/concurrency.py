"""Run callables at the same moment in threads, each on its own database connection."""

import threading
from collections.abc import Callable


def at_once(*calls: Callable[[], object]) -> tuple[list, list[Exception]]:
    """Start every call behind one barrier; return their results and the errors raised."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = []
    errors: list[Exception] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # surfaced to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
