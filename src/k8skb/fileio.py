"""Writing output files safely: to a temporary file beside the target, then renamed into place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` to ``target`` so that readers never see a half-written file.

    ``"-"`` writes to standard output. The parent directory is created when missing.
    """
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates the file private (0600); give it the mode a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
