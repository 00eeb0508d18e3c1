"""Test helpers shared by the test modules (import as ``from helpers import ...``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class CliResult:
    """What one CLI run produced."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """Standard output and standard error together."""
        return self.out + self.err
