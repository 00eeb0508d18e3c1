"""The test suite on every supported Python (``make matrix``, or ``nox`` with nox installed).

Flow: for each of Python 3.11, 3.12 and 3.13 → a fresh virtual environment with ``.[dev]`` →
``pytest`` (the same suite as ``make test``; ``pyproject.toml`` turns k8skb's own
DeprecationWarnings into errors). Interpreters are found on PATH as ``python3.X``; pyenv's versions
are added to PATH first, so a machine with pyenv needs no shims set up.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import nox

PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"


def _add_pyenv_versions_to_path() -> None:
    """Put each installed pyenv Python's bin folder on PATH (no effect without pyenv)."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return
    folders = sorted(str(p) for p in Path(root, "versions").glob("3.*/bin"))
    os.environ["PATH"] = os.pathsep.join([*folders, os.environ.get("PATH", "")])


_add_pyenv_versions_to_path()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole pytest suite (two workers; extra arguments are passed to pytest)."""
    session.install("-e", ".[dev,zensical]")
    session.run("pytest", "-n", "2", "--dist", "loadgroup", *session.posargs)
