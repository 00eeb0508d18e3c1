"""The link checker's data: where a link was found, what was checked, and what came out.

Flow: ``extract`` produces ``Occurrence`` records (one per href/src/srcset candidate, with its page,
line:column and the glossary YAML line behind the page when known) → the checkers turn each distinct
target into an ``Outcome`` → ``Problem`` groups a failed target with every occurrence that links to
it → ``Report`` holds all problems plus counts, ready for ``report.py`` to format. Everything here
is a frozen, keyword-only value (``Report`` is the one mutable record, filled in as a run goes):
errors travel as data until the CLI turns them into text and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors fail the run (exit 1), warnings are reported only."""

    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    """Which check found a problem."""

    INTERNAL = "internal"
    EXTERNAL = "external"
    GLOSSARY = "glossary"


@dataclass(frozen=True, slots=True, kw_only=True)
class Occurrence:
    """One place that links to a target: a page (site-relative path) or a glossary YAML file.

    ``origin`` is the glossary ``file.yaml:line`` behind a generated page (from its ``k8skb:source``
    meta) or behind a reference; ``attribute`` is ``href``, ``src``, ``srcset`` or ``reference``;
    ``url`` is the link exactly as written there.
    """

    path: str
    line: int = 0
    column: int = 0
    attribute: str = ""
    origin: str | None = None
    url: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Order of occurrences in a report: by path, then position, then the link itself."""
        return (self.path, self.line, self.column, self.attribute, self.origin or "", self.url)

    def where(self) -> str:
        """``path:line:column`` (line and column only when known)."""
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A raw URL as written in a page or the glossary, with where it was written."""

    url: str
    occurrence: Occurrence


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The result of checking one target: ``ok`` or a failure/warning with a short message.

    ``status`` is the final HTTP status (0 when there was none); ``final_url`` is where redirects
    ended; ``detail`` is a short machine-friendly reason (``missing-page``, ``missing-fragment``,
    ``wrong-case``, ``http-status``, ``redirect``, ``timeout``, ``deadline``, …).
    """

    ok: bool
    message: str = ""
    detail: str = "ok"
    severity: Severity = Severity.ERROR
    status: int = 0
    final_url: str | None = None

    @property
    def is_problem(self) -> bool:
        """True when this outcome must be reported (a failure, or a success carrying a warning)."""
        return not self.ok or (self.severity is Severity.WARNING and bool(self.message))


OK = Outcome(ok=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One broken (or suspicious) target and every place that links to it."""

    kind: Kind
    target: str
    outcome: Outcome
    occurrences: tuple[Occurrence, ...]

    @property
    def severity(self) -> Severity:
        """The outcome's severity (an ok outcome with a message is a warning)."""
        return Severity.WARNING if self.outcome.ok else self.outcome.severity

    @property
    def message(self) -> str:
        """The human-readable reason."""
        return self.outcome.message


@dataclass(slots=True)
class Report:
    """All problems of a run plus what was checked (for summaries)."""

    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    links: int = 0
    internal_targets: int = 0
    external_targets: int = 0
    excluded: int = 0
    cached: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    def sorted_problems(self) -> list[Problem]:
        """Problems in a stable order: errors first, then by first occurrence and target."""
        return sorted(
            self.problems,
            key=lambda p: (
                p.severity is not Severity.ERROR,
                p.kind.value,
                min((o.sort_key() for o in p.occurrences), default=()),
                p.target,
            ),
        )
