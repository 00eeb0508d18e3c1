"""Writing output files atomically: a temporary file beside the target, then renamed into place.

A reader (a browser, ``mkdocs serve``, a second ``k8skb`` run) sees the old file or the new one,
never half of one; when writing fails, the temporary file is removed and the old file is intact.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``target`` so that readers never see a half-written file.

    ``"-"`` writes to standard output. The parent directory is created when missing. The new file
    gets the permissions a plain ``open()`` gives.
    """
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` as ``write_text_atomic`` writes text (``"-"``: standard output's bytes).

    For binary formats (an Anki ``.apkg``): a temporary file beside the target opened with ``"xb"``,
    then renamed over the target; on failure the temporary file is removed and the old file is intact.
    """
    if str(target) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with tmp.open("xb") as handle:
            handle.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
