"""Read and validate the hand-written questions in ``quiz/*.yaml``.

Flow: each file is read with the glossary's YAML loader (so syntax errors and duplicate keys come
with file:line) → every entry is checked field by field (known keys, kind, both languages, no raw
HTML, no repeated choice, answer in range, known term ids) → ids are checked across files → valid
entries become ``Question`` records. Problems are values; nothing here raises on bad input. A valid
single-choice question whose keyed option is ``LENGTH_CUE`` times as long as every distractor gets a
warning (it is still built).

Answers are written the way a learner types them in the terminal: choice numbers start at 1.
Ordering questions list their ``choices`` in the correct order and matching questions list
``pairs``; the bank shuffles both with the seed.
"""

from __future__ import annotations

import difflib
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from k8skb.glossary.loader import PathKey, Positions, Problem, irregular_files, read_yaml
from k8skb.glossary.model import Glossary, Source
from k8skb.glossary.taxonomy import CATEGORY_IDS
from k8skb.glossary.validate import RAW_HTML
from k8skb.quiz.kinds import KIND, KIND_FIELDS, KINDS, localized
from k8skb.quiz.masking import norm
from k8skb.quiz.model import Question

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LENGTH_CUE = 1.5
"""A keyed option this many times as long (in characters) as every distractor gives the answer away."""
COMMON_FIELDS = frozenset({"id", "kind", "terms", "category", "difficulty", "prompt", "explanation"})
"""The keys every kind shares; each kind adds its own (``Kind.fields``)."""
FIELDS = COMMON_FIELDS | KIND_FIELDS
"""Every key a question may have."""
LANGS = ("ja", "en")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuizFiles:
    """The outcome of reading a quiz directory: problems, and the questions of the valid entries."""

    problems: list[Problem] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


def quiz_files(directory: Path) -> list[Path]:
    """Return the quiz files of ``directory`` in a stable order."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_quiz_dir(directory: Path, glossary: Glossary | None, seed: int = 0) -> QuizFiles:
    """Read and validate every quiz file; term ids are checked when ``glossary`` is given."""
    problems: list[Problem] = list(irregular_files(directory))  # quiz_files keeps regular files only
    questions: list[Question] = []
    files: list[str] = []
    first_seen: dict[str, Source] = {}
    for path in quiz_files(directory):
        doc = read_yaml(path)
        files.append(doc.path)
        problems.extend(doc.problems)
        if doc.data is None:
            continue
        if not isinstance(doc.data, list):
            problems.append(Problem(doc.positions.of(()), "the top level must be a list of questions"))
            continue
        for index, item in enumerate(doc.data):
            checker = _Entry(item, (index,), doc.positions, glossary)
            found = checker.check()
            qid = item.get("id") if isinstance(item, dict) else None
            if isinstance(qid, str):
                here = doc.positions.of((index, "id"))
                if qid in first_seen:
                    found.append(Problem(here, f"duplicate question id '{qid}' (first at {first_seen[qid]})"))
                else:
                    first_seen[qid] = here
            problems.extend(found)
            if not found:
                question = checker.build(seed)
                questions.append(question)
                problems.extend(
                    Problem(
                        question.source or doc.positions.of((index,)),
                        f"keyed option ({lang}) is {ratio:.2f}× as long as the longest distractor, "
                        f"a cue to the answer: keep it under {LENGTH_CUE}× (question '{question.id}')",
                        "warning",
                    )
                    for lang, ratio in length_cues(question)
                )
    problems.sort(key=lambda p: (p.source.path, p.source.line, p.source.column, p.message))
    return QuizFiles(problems=problems, questions=questions, files=files)


def length_cues(question: Question) -> list[tuple[str, float]]:
    """``(lang, ratio)`` for each language where a single-choice question's keyed option is at least
    ``LENGTH_CUE`` times as long as its longest distractor."""
    if question.kind != "single" or not isinstance(question.answer, int) or len(question.choices) < 2:
        return []
    out = []
    for lang in LANGS:
        key = len(question.choices[question.answer].get(lang))
        longest = max(len(c.get(lang)) for i, c in enumerate(question.choices) if i != question.answer)
        ratio = key / max(longest, 1)
        if ratio >= LENGTH_CUE:
            out.append((lang, ratio))
    return out


class _Entry:
    """Checks one question entry and, when it is valid, builds its ``Question``."""

    def __init__(self, data: Any, path: PathKey, positions: Positions, glossary: Glossary | None) -> None:
        self.data = data
        self.path = path
        self.positions = positions
        self.glossary = glossary
        self.problems: list[Problem] = []

    def at(self, *key: str | int) -> Source:
        """The source position of ``key`` inside the entry."""
        return self.positions.of((*self.path, *key))

    def fail(self, where: Source, message: str) -> None:
        """Report a problem, naming the question when it has an id."""
        qid = self.data.get("id") if isinstance(self.data, dict) else None
        suffix = f" (question '{qid}')" if isinstance(qid, str) else ""
        self.problems.append(Problem(where, message + suffix))

    def check(self) -> list[Problem]:
        """Check the entry; return its problems (none when it can be built)."""
        data = self.data
        if not isinstance(data, dict):
            self.fail(self.at(), "each question must be a mapping (id, kind, terms, prompt, …)")
            return self.problems
        for key in data:
            if key not in FIELDS:
                self.fail(self.at(key), f"unknown field '{key}' (allowed: {', '.join(sorted(FIELDS))})")
        for key in ("id", "kind", "terms", "prompt", "explanation"):
            if key not in data:
                self.fail(self.at(), f"missing field '{key}'")
        qid = data.get("id")
        if "id" in data and not (isinstance(qid, str) and SLUG.match(qid)):
            self.fail(self.at("id"), f"id {qid!r} is not a lowercase slug (use a-z, 0-9 and single hyphens)")
        self._check_terms()
        self._check_optional()
        for key in ("prompt", "explanation"):
            if key in data:
                self.text(data[key], (key,))
        kind = data.get("kind")
        if "kind" in data and kind not in KINDS:
            self.fail(self.at("kind"), f"unknown kind {kind!r} (expected one of: {', '.join(KINDS)})")
        elif kind in KINDS:
            self._check_kind(str(kind))
        return self.problems

    def _check_terms(self) -> None:
        terms = self.data.get("terms")
        if "terms" not in self.data:
            return
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) for t in terms):
            self.fail(self.at("terms"), "field 'terms' must be a non-empty list of glossary ids")
            return
        if len(set(terms)) != len(terms):
            self.fail(self.at("terms"), "field 'terms' lists the same id twice")
        if self.glossary is None:
            return
        known = [e.id for e in self.glossary]
        for index, term in enumerate(terms):
            if term not in self.glossary:
                close = difflib.get_close_matches(term, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(self.at("terms", index), f"unknown term id '{term}'{hint}")

    def _check_optional(self) -> None:
        data = self.data
        if "difficulty" in data and (
            not isinstance(data["difficulty"], int)
            or isinstance(data["difficulty"], bool)
            or not 1 <= data["difficulty"] <= 3
        ):
            self.fail(self.at("difficulty"), "field 'difficulty' must be 1, 2 or 3")
        if "category" in data and data["category"] not in CATEGORY_IDS:
            options = ", ".join(sorted(CATEGORY_IDS))
            self.fail(
                self.at("category"), f"unknown category {data['category']!r} (expected one of: {options})"
            )
        if "shuffle" in data and not isinstance(data["shuffle"], bool):
            self.fail(self.at("shuffle"), "field 'shuffle' must be true or false")

    def text(self, value: Any, key: tuple[str | int, ...]) -> bool:
        """Check a ``{ja, en}`` text; return True when it is usable."""
        name = ".".join(str(k) for k in key)
        if not isinstance(value, dict):
            self.fail(self.at(*key), f"field '{name}' must be a mapping with 'ja' and 'en'")
            return False
        ok = True
        for extra in value:
            if extra not in LANGS:
                self.fail(
                    self.at(*key, extra), f"unknown language '{extra}' in field '{name}' (use ja and en)"
                )
                ok = False
        for lang in LANGS:
            text = value.get(lang)
            if lang not in value:
                self.fail(self.at(*key), f"field '{name}' is missing '{lang}'")
                ok = False
            elif not isinstance(text, str) or not text.strip():
                self.fail(self.at(*key, lang), f"field '{name}.{lang}' must be a non-empty string")
                ok = False
            else:
                match = RAW_HTML.search(text)
                if match:
                    self.fail(
                        self.at(*key, lang), f"raw HTML {match.group(0)[:30]!r} in field '{name}.{lang}'"
                    )
                    ok = False
        return ok

    def texts(self, key: str, minimum: int) -> list[dict[str, str]]:
        """Check a list of texts (choices); report repeats; return them when all are usable."""
        value = self.data.get(key)
        if key not in self.data:
            self.fail(self.at(), f"missing field '{key}' (needed by kind '{self.data['kind']}')")
            return []
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(self.at(key), f"field '{key}' must be a list of at least {minimum} items")
            return []
        if not all(self.text(item, (key, i)) for i, item in enumerate(value)):
            return []
        self.no_repeats(value, key)
        return value

    def no_repeats(self, items: list[dict[str, str]], key: str, part: str | None = None) -> None:
        for lang in LANGS:
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                text = norm(item[lang])
                if text in seen:
                    where = self.at(key, i, part) if part else self.at(key, i)
                    self.fail(where, f"choice {i + 1} repeats choice {seen[text] + 1} in '{key}' ({lang})")
                else:
                    seen[text] = i

    def _check_kind(self, kind: str) -> None:
        """Refuse the fields of other kinds, then let the kind check its own."""
        for key in sorted(KIND_FIELDS - KIND[kind].fields):
            if key in self.data:
                self.fail(self.at(key), f"field '{key}' is not used by kind '{kind}'")
        KIND[kind].check_entry(self)

    def build(self, seed: int) -> Question:
        """Build the ``Question`` of an entry that passed ``check``."""
        data = self.data
        kind: str = data["kind"]
        rng = random.Random(f"{seed}\x00{data['id']}")
        terms = tuple(data["terms"])
        category = data.get("category") or (
            self.glossary[terms[0]].category if self.glossary and terms[0] in self.glossary else "concept"
        )
        built = KIND[kind].build_entry(data, rng)
        return Question(
            id=data["id"],
            kind=kind,
            prompt=localized(data["prompt"]),
            choices=built.choices,
            answer=built.answer,
            explanation=localized(data["explanation"]),
            terms=terms,
            category=category,
            difficulty=int(data.get("difficulty", 2)),
            left=built.left,
            origin="handwritten",
            source=self.at(),
        )
