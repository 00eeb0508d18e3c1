"""Writing output files atomically: a temporary file beside the target, then renamed into place.

A reader (a browser, ``mkdocs serve``, a second ``k8skb`` run) sees the old file or the new one,
never half of one; when writing fails, the temporary file is removed and the old file is intact.
The same holds for a whole folder (``replacing_folder``): it is built beside its final place and
moved there only when complete.

A target that is a symlink is followed: the file it points to is replaced and the link stays. A
target that exists but is not a regular file (a directory, a named pipe, a device, a socket) is
refused with ``OutputError`` before anything is written; so is an empty name. Errors of the
operating system name the target as given (not the temporary file).
"""

from __future__ import annotations

import secrets
import shutil
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STANDARD_OUTPUT = "-"
"""The output name that means standard output."""


class OutputError(ValueError):
    """An output path that cannot be written as asked (a usage error): the message says why."""


def _kind(mode: int) -> str:
    """What a file of mode ``mode`` is, for a message (``"a named pipe (FIFO)"``)."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def output_file(target: str | Path, option: str = "the output") -> Path:
    """Return the file to replace for ``target`` (symlinks followed); ``OutputError`` when it cannot be one.

    ``option`` names the command-line option in messages (``--out``); the message suggests
    ``<option> -`` for standard output. Refused: an empty name, an existing target that is not a
    regular file, a target whose folder is a file. A missing folder is fine (it is created).
    """
    hint = f"{option} - writes to standard output" if option.startswith("-") else "'-' is standard output"
    text = str(target)
    if text == "":
        raise OutputError(f"{option} '': empty file name ({hint})")
    path = Path(target)
    try:
        real = path.resolve()
        try:
            mode: int | None = path.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):  # new file; not exists(), which hides a loop
            mode = None
    except (OSError, RuntimeError) as exc:  # a symlink loop: ELOOP, or RuntimeError before Python 3.13
        raise OutputError(f"{option} {text!r}: {getattr(exc, 'strerror', None) or exc}") from exc
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{option} {text!r}: is {_kind(mode)}, not a regular file; name a file ({hint})")
    for folder in real.parents:
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"{option} {text!r}: {folder} is not a directory")
            break
    return real


def _tagged(exc: OSError, target: str | Path) -> OSError:
    """``exc`` naming ``target`` (as given), so that the message is about the user's file."""
    if exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror, str(target))  # the subclass (PermissionError, …) follows errno


def _write_standard_output(data: str | bytes) -> None:
    """Write to standard output; an error names it (``OSError.filename == "<stdout>"``)."""
    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader went away: the CLI ends quietly
    except OSError as exc:
        if exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, "<stdout>") from exc


def _write_atomic(target: str | Path, data: str | bytes) -> None:
    path = output_file(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _tagged(exc, target) from exc
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        if isinstance(data, bytes):
            with tmp.open("xb") as handle:
                handle.write(data)
        else:
            with tmp.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _tagged(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``target`` so that readers never see a half-written file.

    ``"-"`` writes to standard output. The parent directory is created when missing. The new file
    gets the permissions a plain ``open()`` gives. A symlink is followed (its file is replaced);
    a target that is not a regular file raises ``OutputError``; an ``OSError`` names ``target``.
    """
    if str(target) == STANDARD_OUTPUT:
        _write_standard_output(text)
        return
    if not isinstance(text, str):
        raise TypeError(f"text expected, got {type(text).__name__}")
    _write_atomic(target, text)


def write_bytes_atomic(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` as ``write_text_atomic`` writes text (``"-"``: standard output's bytes).

    For binary formats (an Anki ``.apkg``): a temporary file beside the target opened with ``"xb"``,
    then renamed over the target; on failure the temporary file is removed and the old file is intact.
    """
    if str(target) == STANDARD_OUTPUT:
        _write_standard_output(data)
        return
    if not isinstance(data, bytes):
        raise TypeError(f"bytes expected, got {type(data).__name__}")
    _write_atomic(target, data)


@contextmanager
def replacing_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; when the block ends normally, it becomes ``target``.

    An earlier ``target`` is replaced only then (moved aside, the new folder moved in, the old one
    deleted; restored if the move fails). When the block raises (an error, Ctrl-C), the temporary
    folder is deleted and ``target`` stays as it was. ``OSError``\\ s of the temporary folder name
    the matching path under ``target``. The caller checks that ``target`` may be replaced.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        tmp.mkdir()  # not mkdtemp: the folder gets the permissions a plain mkdir gives
    except OSError as exc:
        raise _tagged(exc, target) from exc
    try:
        try:
            yield tmp
        except OSError as exc:
            name = Path(exc.filename) if isinstance(exc.filename, str) else None
            if name is not None and name.is_relative_to(tmp) and exc.errno is not None:
                raise OSError(exc.errno, exc.strerror, str(target / name.relative_to(tmp))) from exc
            raise
        old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old") if target.exists() else None
        try:
            if old is not None:
                target.replace(old)
            try:
                tmp.replace(target)
            except BaseException:
                if old is not None:
                    old.replace(target)
                raise
        except OSError as exc:
            raise _tagged(exc, target) from exc
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
