"""Property tests: whatever YAML (or bytes) the loader is fed, it loads or reports problems, never raises."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8skb.glossary import load_glossary
from k8skb.glossary.loader import parse_yaml

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["<b>x</b>", "a < b && c", "https://kubernetes.io/", "pod", "ja", "en", ""]),
)
keys = st.one_of(
    st.sampled_from(
        [
            "id",
            "category",
            "name",
            "reading",
            "summary",
            "description",
            "aka",
            "relations",
            "related",
            "misconceptions",
            "references",
            "tags",
            "ja",
            "en",
            "type",
            "target",
            "url",
            "lang",
            "title",
            "wrong",
            "right",
        ]
    ),
    st.text(max_size=8),
)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)

VALID_ENTRY: dict[str, Any] = {
    "id": "pod",
    "category": "resource",
    "name": {"ja": "Pod", "en": "Pod"},
    "reading": "ぽっど",
    "summary": {"ja": "要約。", "en": "Summary."},
    "description": {"ja": "説明。", "en": "Text."},
    "relations": [{"type": "part-of", "target": "pod"}],
    "references": [{"url": "https://kubernetes.io/docs/", "lang": "en", "title": {"ja": "t", "en": "t"}}],
    "tags": ["fundamental"],
}


def _check(directory: Path, text: str | bytes) -> None:
    target = directory / "random.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    result = load_glossary(directory)
    assert (result.glossary is not None) or result.problems
    assert (result.glossary is None) == (not result.ok)
    for problem in result.problems:
        assert problem.source.path.endswith("random.yaml")
        assert problem.source.line >= 0
        assert problem.message


@SETTINGS
@given(document=documents)
def test_random_documents_load_or_report(tmp_path: Path, document: Any) -> None:
    _check(tmp_path, yaml.safe_dump(document, allow_unicode=True))


@SETTINGS
@given(text=st.text(max_size=200))
def test_random_text_loads_or_reports(tmp_path: Path, text: str) -> None:
    _check(tmp_path, text)


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_random_bytes_load_or_report(tmp_path: Path, raw: bytes) -> None:
    _check(tmp_path, raw)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _mutated_entry(data: st.DataObject, most: int = 3) -> dict[str, Any]:
    """A copy of ``VALID_ENTRY`` with 1 to ``most`` values replaced by random data or removed."""
    entry = copy.deepcopy(VALID_ENTRY)
    for _ in range(data.draw(st.integers(1, most))):
        paths = _paths(entry)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent: Any = entry
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(documents)
    return entry


@SETTINGS
@given(data=st.data())
def test_mutated_valid_entries_load_or_report(tmp_path: Path, data: st.DataObject) -> None:
    _check(tmp_path, yaml.safe_dump([_mutated_entry(data, most=1)], allow_unicode=True))


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    document = parse_yaml(b"[" * 5000 + b"]" * 5000, "deep.yaml")
    assert document.problems or document.data is not None
