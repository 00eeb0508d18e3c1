"""Validate glossary files and build the typed ``Glossary`` from them.

Flow: read every ``*.yaml`` file of a directory (``loader.read_yaml``) → check each file's shape
against the JSON Schema (``schema.json``, the same file editors use) → check what a schema cannot
say (unique ids across files, relation targets, whitespace-only text, raw HTML, URLs) → build
records. All problems of all files are collected in one pass; the result carries the glossary
only when there is no error, so consumers never see half-valid data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from k8skb.glossary.loader import PathKey, Positions, Problem, YamlDocument, irregular_files, read_yaml
from k8skb.glossary.model import (
    Glossary,
    GlossaryEntry,
    LocalizedList,
    LocalizedText,
    Misconception,
    Reference,
    Relation,
    Source,
)
from k8skb.glossary.style import reply_opening
from k8skb.glossary.taxonomy import LANGUAGES

if TYPE_CHECKING:
    import jsonschema

RAW_HTML = re.compile(
    r"<!--|<!\[?[A-Za-z\[]|<\?|</[A-Za-z][A-Za-z0-9-]*\s*>|<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"
)
"""An HTML tag, comment or declaration. A lone ``<`` (``a < b``) or an autolink ``<https://…>`` is not."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HOST = re.compile(r"^[A-Za-z0-9.-]+(?::\d{1,5})?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationResult:
    """Problems found, and the glossary when there were no errors."""

    problems: list[Problem] = field(default_factory=list)
    glossary: Glossary | None = None
    files: list[str] = field(default_factory=list)
    entries_read: int = 0
    """The entries (mappings) read from the files that could be read, errors or not."""

    @property
    def ok(self) -> bool:
        """True when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)


@cache
def glossary_schema() -> dict[str, Any]:
    """Return the JSON Schema of a glossary file (packaged; ``glossary/schema.json`` links to it)."""
    text = resources.files("k8skb.glossary").joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """The JSON Schema validator of a glossary file (every error of a file, each with its path)."""
    import jsonschema  # imported only when files are validated (the CLI's other verbs skip it)

    return jsonschema.Draft202012Validator(glossary_schema())


def _shape_errors(data: Any) -> Iterator[jsonschema.ValidationError]:
    """Every JSON Schema error of ``data``."""
    return _validator().iter_errors(data)


def glossary_files(directory: Path) -> list[Path]:
    """Return the glossary files of ``directory`` in a stable order."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_glossary(directory: Path) -> ValidationResult:
    """Read, validate and build the glossary in ``directory``; never raises for bad content."""
    files = glossary_files(directory)
    problems = irregular_files(directory)  # the listing above keeps regular files only
    if not files:
        problems.append(Problem(Source(str(directory), 0), "no glossary files (*.yaml) found"))
        return ValidationResult(problems=problems)
    documents = [read_yaml(p) for p in files]
    raw_entries: list[tuple[dict[str, Any], PathKey, Positions]] = []
    for doc in documents:
        problems.extend(doc.problems)
        raw_entries.extend(_check_document(doc, problems))
    problems.extend(_check_cross_file(raw_entries))
    problems.sort(key=lambda p: (p.source.path, p.source.line, p.source.column, p.message))
    glossary = None
    if not any(p.severity == "error" for p in problems):
        entries = tuple(_build_entry(data, key, pos) for data, key, pos in raw_entries)
        glossary = Glossary(entries=entries, root=directory)
    entries_read = sum(
        sum(isinstance(item, dict) for item in doc.data) for doc in documents if isinstance(doc.data, list)
    )
    return ValidationResult(
        problems=problems, glossary=glossary, files=[d.path for d in documents], entries_read=entries_read
    )


def _check_document(
    doc: YamlDocument, problems: list[Problem]
) -> Iterator[tuple[dict[str, Any], PathKey, Positions]]:
    """Check one file's shape and texts; yield the entries that have an id, for the cross-file checks."""
    if doc.data is None:
        return
    if not isinstance(doc.data, list):
        kind = type(doc.data).__name__
        problems.append(
            Problem(doc.positions.of(()), f"the top level must be a list of entries, not a {_kind(kind)}")
        )
        return
    for error in _shape_errors(doc.data):
        path = tuple(error.absolute_path)
        problems.extend(_schema_problem(error, path, doc.positions))
    for index, item in enumerate(doc.data):
        if not isinstance(item, dict):
            continue
        problems.extend(_check_texts(item, (index,), doc.positions))
        problems.extend(_check_statements(item, (index,), doc.positions))
        problems.extend(_check_component(item, (index,), doc.positions))
        problems.extend(_check_urls(item, (index,), doc.positions))
        if isinstance(item.get("id"), str):  # cross-checked even when malformed elsewhere
            yield item, (index,), doc.positions


def _kind(python_type: str) -> str:
    return {"dict": "mapping", "str": "string", "int": "number", "float": "number", "NoneType": "null"}.get(
        python_type, python_type
    )


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _schema_problem(error: jsonschema.ValidationError, path: PathKey, positions: Positions) -> list[Problem]:
    """Turn one JSON Schema error into problems with a clear message at the right line."""
    where = positions.of(path)
    field_path = _dotted(path[1:]) if len(path) > 1 else ""
    label = f"field '{field_path}'" if field_path else "entry"
    instance = error.instance
    kind = error.validator
    if kind == "additionalProperties" and isinstance(instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = set(schema.get("properties", {}))
        return [
            Problem(
                positions.of((*path, key)),
                f"unknown field '{_dotted((*path[1:], key))}'"
                + (f" (allowed: {', '.join(sorted(allowed))})" if allowed else ""),
            )
            for key in instance
            if key not in allowed
        ]
    if kind == "required":
        required: list[str] = list(error.validator_value) if isinstance(error.validator_value, list) else []
        missing = [k for k in required if isinstance(instance, dict) and k not in instance]
        name = _dotted((*path[1:], missing[0])) if missing else "?"
        hint = (
            f" (in entry '{instance.get('id')}')"
            if isinstance(instance, dict) and len(path) == 1 and "id" in instance
            else ""
        )
        return [Problem(where, f"missing field '{name}'{hint}")]
    if kind == "type":
        expected = error.validator_value
        exp = {"object": "a mapping", "array": "a list", "string": "a string"}.get(
            str(expected), str(expected)
        )
        got = _kind(type(instance).__name__)
        return [Problem(where, f"{label} must be {exp}, not a {got}")]
    if kind == "enum":
        values = error.validator_value if isinstance(error.validator_value, list) else []
        options = ", ".join(str(v) for v in values)
        what = {"category": "category", "type": "relation type", "lang": "language"}.get(
            str(path[-1]), "value"
        )
        if len(path) >= 2 and path[-2] == "tags":
            what = "tag"
        return [Problem(where, f"unknown {what} '{instance}' in {label} (expected one of: {options})")]
    if kind == "pattern" and path[-1] == "id":
        return [Problem(where, f"id '{instance}' is not a lowercase slug (use a-z, 0-9 and single hyphens)")]
    if kind == "pattern" and path[-1] == "url":
        return [Problem(where, f"reference URL '{instance}' must start with http:// or https://")]
    if kind == "minLength":
        return [Problem(where, f"{label} is empty")]
    if kind == "uniqueItems":
        return [Problem(where, f"{label} lists the same item twice")]
    return [Problem(where, f"{label}: {error.message}")]


def _walk_texts(data: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Yield every string inside ``data`` with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _walk_texts(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_texts(value, (*path, index))


def _check_texts(item: dict[str, Any], path: PathKey, positions: Positions) -> list[Problem]:
    problems: list[Problem] = []
    for text_path, text in _walk_texts(item, path):
        name = _dotted(text_path[1:])
        if text and not text.strip():
            problems.append(Problem(positions.of(text_path), f"field '{name}' is only whitespace"))
        match = RAW_HTML.search(text)
        if match:
            problems.append(
                Problem(
                    positions.of(text_path),
                    f"raw HTML {match.group(0)[:30]!r} in field '{name}' "
                    "(write Markdown; use &lt; for a literal tag)",
                )
            )
    return problems


def _check_statements(item: dict[str, Any], path: PathKey, positions: Positions) -> list[Problem]:
    """Each misconception text is asked alone as a true/false statement: it must not open like a reply."""
    problems: list[Problem] = []
    items = item.get("misconceptions")
    for index, m in enumerate(items if isinstance(items, list) else []):
        for part in ("wrong", "right"):
            text = m.get(part) if isinstance(m, dict) else None
            for lang in LANGUAGES:
                value = text.get(lang) if isinstance(text, dict) else None
                opening = reply_opening(value, lang) if isinstance(value, str) else None
                if opening:
                    problems.append(
                        Problem(
                            positions.of((*path, "misconceptions", index, part, lang)),
                            f"field 'misconceptions[{index}].{part}.{lang}' opens with '{opening}': it is "
                            "asked on its own as a true/false statement, so give it its own subject",
                        )
                    )
    return problems


def _check_component(item: dict[str, Any], path: PathKey, positions: Positions) -> list[Problem]:
    """A removed or superseded thing (tag ``legacy``) is not a current cluster component."""
    tags = item.get("tags")
    if "component" in item and isinstance(tags, list) and "legacy" in tags:
        return [
            Problem(
                positions.of((*path, "component")),
                f"entry '{item.get('id')}' is tagged legacy, so it cannot be a current "
                f"{item['component']} component (remove 'component')",
            )
        ]
    return []


def _check_urls(item: dict[str, Any], path: PathKey, positions: Positions) -> list[Problem]:
    problems: list[Problem] = []
    refs = item.get("references")
    if not isinstance(refs, list):
        return problems
    for index, ref in enumerate(refs):
        if not isinstance(ref, dict) or not isinstance(ref.get("url"), str):
            continue
        url = ref["url"]
        reason = url_problem(url)
        if reason and url.startswith(("http://", "https://")):
            problems.append(
                Problem(positions.of((*path, "references", index, "url")), f"malformed URL '{url}': {reason}")
            )
    return problems


def url_problem(url: str) -> str | None:
    """Return why ``url`` is not a well-formed absolute http(s) URL, or ``None`` when it is."""
    if any(ch.isspace() for ch in url):
        return "it contains whitespace"
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "only http and https URLs are allowed"
    if not parts.netloc or not parts.hostname:
        return "it has no host"
    if (
        not HOST.match(parts.netloc.rsplit("@", 1)[-1])
        or ".." in parts.hostname
        or parts.hostname.startswith(".")
    ):
        return f"host '{parts.netloc}' is not valid"
    return None


def _check_cross_file(entries: list[tuple[dict[str, Any], PathKey, Positions]]) -> list[Problem]:
    """Unique ids across files, and every relation / related target exists."""
    problems: list[Problem] = []
    first: dict[str, Source] = {}
    for data, path, pos in entries:
        term_id = data["id"]
        here = pos.of((*path, "id"))
        if term_id in first:
            problems.append(Problem(here, f"duplicate id '{term_id}' (first defined at {first[term_id]})"))
        else:
            first[term_id] = here
    for data, path, pos in entries:
        relations = data.get("relations")
        for index, rel in enumerate(relations if isinstance(relations, list) else []):
            target = rel.get("target") if isinstance(rel, dict) else None
            if not isinstance(target, str):
                continue  # the schema check reports it
            where = pos.of((*path, "relations", index, "target"))
            if target not in first:
                problems.append(
                    Problem(
                        where, f"relation target '{target}' is not a glossary id{_suggest(target, first)}"
                    )
                )
            elif target == data["id"]:
                problems.append(Problem(where, f"relation of '{target}' points at itself"))
        related = data.get("related")
        for index, target in enumerate(related if isinstance(related, list) else []):
            if isinstance(target, str) and target not in first:
                where = pos.of((*path, "related", index))
                problems.append(
                    Problem(where, f"related term '{target}' is not a glossary id{_suggest(target, first)}")
                )
    return problems


def _suggest(target: str, known: Mapping[str, Source]) -> str:
    import difflib

    close = difflib.get_close_matches(target, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _text(data: dict[str, str]) -> LocalizedText:
    return LocalizedText(ja=data["ja"], en=data["en"])


def _build_entry(data: dict[str, Any], path: PathKey, pos: Positions) -> GlossaryEntry:
    """Build a record from an entry that passed validation."""
    aka = data.get("aka", {})
    return GlossaryEntry(
        id=data["id"],
        category=data["category"],
        name=_text(data["name"]),
        reading=data["reading"],
        summary=_text(data["summary"]),
        description=_text(data["description"]),
        aka=LocalizedList(ja=tuple(aka.get("ja", [])), en=tuple(aka.get("en", []))),
        relations=tuple(
            Relation(type=r["type"], target=r["target"], source=pos.of((*path, "relations", i)))
            for i, r in enumerate(data.get("relations", []))
        ),
        related=tuple(data.get("related", [])),
        misconceptions=tuple(
            Misconception(
                wrong=_text(m["wrong"]), right=_text(m["right"]), source=pos.of((*path, "misconceptions", i))
            )
            for i, m in enumerate(data.get("misconceptions", []))
        ),
        references=tuple(
            Reference(
                url=r["url"], title=_text(r["title"]), lang=r["lang"], source=pos.of((*path, "references", i))
            )
            for i, r in enumerate(data.get("references", []))
        ),
        tags=tuple(data.get("tags", [])),
        component=data.get("component"),
        source=pos.of(path),
        field_sources={key: pos.of((*path, key)) for key in data},
    )


__all__ = [
    "LANGUAGES",
    "ValidationResult",
    "glossary_files",
    "glossary_schema",
    "load_glossary",
    "url_problem",
]
