"""``python -m k8skb`` runs the command line, then leaves without tearing the interpreter down.

Flow: ``main`` does the work and returns the exit status → ``leave`` runs the ``atexit`` handlers
and flushes standard output and error → ``os._exit``: the module teardown and the final garbage
collection of a normal exit are skipped (after ``k8skb links --external`` they took ~10 ms of a
run that is done; the system frees the memory and closes files and sockets as it would anyway).
When another thread is still running, or a flush fails, the exit is Python's own (threads are
waited for; a failed flush is reported). The ``k8skb`` script runs ``run`` too; ``k8skb.cli.main``
itself returns normally, so callers in the same process (tests) are unaffected.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

from k8skb.cli import main


def leave(status: int) -> NoReturn:
    """End the process with ``status`` once ``atexit`` handlers ran and output is flushed."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        raise SystemExit(status)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(status) from None
    os._exit(status)


def run() -> NoReturn:
    """The ``k8skb`` console script: the command line, then ``leave`` with its status."""
    leave(main())


if __name__ == "__main__":
    run()
