"""``k8skb links`` end to end: exit codes, every format, glossary checks, external check with cache."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from k8skb.glossary import LocalizedText, Reference, Source
from k8skb.links.checker.glossary import reference_problem
from k8skb.links.report import FORMATS
from links_fault_server import FaultServer

SITE = Path(__file__).parent / "fixtures" / "links" / "built"

ENTRY = """\
- id: pod
  category: resource
  name: {{ja: ポッド, en: Pod}}
  reading: ぽっど
  summary: {{ja: コンテナをまとめて動かす最小の単位。, en: The smallest unit that runs containers together.}}
  description: {{ja: ポッドの説明。, en: About Pods.}}
  references:
    - {{url: "https://kubernetes.io/ja/docs/concepts/workloads/pods/", lang: ja, title: {{ja: ポ, en: P}}}}
    - {{url: "https://kubernetes.io/docs/concepts/workloads/pods/", lang: ja, title: {{ja: ポ, en: P}}}}
    - {{url: "https://kubernetes.io/ja/docs/concepts/workloads/pods/", lang: en, title: {{ja: ポ, en: P}}}}
    - {{url: "{extra}", lang: en, title: {{ja: 外部, en: External}}}}
"""


@pytest.fixture
def clean_site(tmp_path: Path) -> Path:
    site = tmp_path / "clean"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text(
        '<h1 id="a">a</h1><a href="en/#b">en</a> <a href="#a">a</a>', encoding="utf-8"
    )
    (site / "en" / "index.html").write_text('<h1 id="b">b</h1><a href="../">ja</a>', encoding="utf-8")
    return site


@pytest.fixture
def empty_glossary(tmp_path: Path) -> Path:
    directory = tmp_path / "no-glossary"
    directory.mkdir()
    (directory / "empty.yaml").write_text("[]\n", encoding="utf-8")
    return directory


def assert_no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output


def test_clean_site_exits_0(run_cli: Callable[..., Any], clean_site: Path, tmp_path: Path) -> None:
    result = run_cli("links", str(clean_site), "--offline", cwd=tmp_path)
    assert result.code == 0, result.output
    assert result.out.startswith("ok: no broken links")


def test_fixture_site_exits_1_and_lists_sources(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli("links", str(SITE), "--offline", cwd=tmp_path)
    assert result.code == 1
    assert "6 error(s)" in result.out
    assert (
        f"{SITE}/glossary/ポッド/index.html:14:1" in result.out
        and "(from glossary/workloads.yaml:12)" in result.out
    )
    assert_no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("does-not-exist",),
        (str(SITE), "--exclude", "(unclosed"),
        (str(SITE), "--accept", "abc"),
        (str(SITE), "--max-cache-age", "soon"),
        (str(SITE), "--concurrency", "0"),
        (str(SITE), "--timeout", "0"),
        (str(SITE), "--external", "--offline"),
        (str(SITE), "--format", "yaml"),
        (str(SITE), "--glossary", "no/such/dir"),
        (str(SITE), "--site-url", "you.github.io/k8skb"),
    ],
)
def test_usage_errors_exit_2(run_cli: Callable[..., Any], tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_cli("links", *args, cwd=tmp_path)
    assert result.code == 2, result.output
    assert_no_traceback(result)


def test_make_check_invocation_defaults_to_site_dir(run_cli: Callable[..., Any], clean_site: Path) -> None:
    clean_site.rename(clean_site.parent / "site")
    result = run_cli("links", "site", "--offline", cwd=clean_site.parent)
    assert result.code == 0, result.output
    assert run_cli("links", "--offline", cwd=clean_site.parent).code == 0


def test_json_format(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli("links", str(SITE), "--offline", "--format", "json", cwd=tmp_path)
    document = json.loads(result.out)
    assert result.code == 1 and document["ok"] is False and document["errors"] == 6
    missing = next(p for p in document["problems"] if p["target"] == "/missing-page/")
    assert [(o["path"], o["line"]) for o in missing["occurrences"]] == [
        (f"{SITE}/en/index.html", 19),
        (f"{SITE}/index.html", 33),
    ]
    deployment = next(p for p in document["problems"] if p["target"] == "/glossary/deployment/")
    assert deployment["occurrences"][0]["source"] == "glossary/workloads.yaml:12"


def test_markdown_format(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli("links", str(SITE), "--offline", "--format", "markdown", cwd=tmp_path)
    assert result.code == 1
    assert result.out.startswith("# Link check") and result.out.count("\n## ") == 6
    assert "| `" in result.out


def test_junit_format(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli("links", str(SITE), "--offline", "--format", "junit", cwd=tmp_path)
    root = ET.fromstring(result.out)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "6"
    assert len(suite.findall("testcase/failure")) == 6


_STR = {"type": "string"}
_MESSAGE = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": _STR},
    "additionalProperties": False,
}
_REGION = {
    "type": "object",
    "properties": {
        "startLine": {"type": "integer", "minimum": 1},
        "startColumn": {"type": "integer", "minimum": 1},
    },
    "required": ["startLine"],
    "additionalProperties": False,
}
_LOCATION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": -1},
        "message": _MESSAGE,
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {
                        "uri": {"type": "string", "format": "uri-reference", "pattern": "^(?![/\\\\])"}
                    },
                    "additionalProperties": False,
                },
                "region": _REGION,
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
SARIF_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "description": "The parts of SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) that k8skb writes, as strict",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": _STR,
                                    "version": _STR,
                                    "rules": {
                                        "type": "array",
                                        "uniqueItems": True,
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": _STR,
                                                "name": _STR,
                                                "shortDescription": _MESSAGE,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {
                                                            "enum": ["none", "note", "warning", "error"]
                                                        }
                                                    },
                                                    "additionalProperties": False,
                                                },
                                            },
                                            "additionalProperties": False,
                                        },
                                    },
                                },
                                "additionalProperties": False,
                            }
                        },
                        "additionalProperties": False,
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": _STR,
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {"type": "array", "items": _LOCATION},
                                "relatedLocations": {
                                    "type": "array",
                                    "uniqueItems": True,
                                    "items": _LOCATION,
                                },
                                "partialFingerprints": {"type": "object", "additionalProperties": _STR},
                            },
                            "additionalProperties": False,
                        },
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def validate_sarif(document: object) -> None:
    """Validate against the SARIF 2.1.0 constraints on what k8skb writes (relative URIs included)."""
    import jsonschema

    jsonschema.Draft202012Validator(
        SARIF_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(document)


def test_sarif_points_at_the_glossary_line_first(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli(
        "links",
        str(SITE),
        "--offline",
        "--format",
        "sarif",
        "--output",
        str(tmp_path / "out.sarif"),
        cwd=tmp_path,
    )
    assert result.code == 1 and result.out == ""
    document = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0"
    results = document["runs"][0]["results"]
    assert len(results) == 6 and all(r["locations"] for r in results)
    rule_ids = {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} == rule_ids
    deployment = next(r for r in results if "/glossary/deployment/" in r["message"]["text"])
    (first,) = (loc["physicalLocation"] for loc in deployment["locations"])
    (second,) = (loc["physicalLocation"] for loc in deployment["relatedLocations"])
    assert (
        first["artifactLocation"]["uri"] == "glossary/workloads.yaml" and first["region"]["startLine"] == 12
    )
    assert second["artifactLocation"]["uri"] == "glossary/ポッド/index.html"  # SITE_DIR is outside cwd
    assert second["region"] == {"startLine": 14, "startColumn": 1}
    validate_sarif(document)


def test_glossary_reference_language_checks(
    run_cli: Callable[..., Any], write_glossary: Callable[..., Path], clean_site: Path, tmp_path: Path
) -> None:
    glossary = write_glossary(pods=ENTRY.format(extra="https://example.com/pods"))
    result = run_cli(
        "links", str(clean_site), "--offline", "--glossary", str(glossary), "--format", "json", cwd=tmp_path
    )
    document = json.loads(result.out)
    assert result.code == 1
    got = sorted((p["rule"], p["occurrences"][0]["line"]) for p in document["problems"])
    assert got == [("language-mismatch", 9), ("language-mismatch", 10)]
    assert all(p["occurrences"][0]["path"].endswith("pods.yaml") for p in document["problems"])


def test_malformed_reference_url() -> None:
    def ref(url: str, lang: str = "en") -> Reference:
        return Reference(url=url, title=LocalizedText(ja="t", en="t"), lang=lang, source=Source("g.yaml", 3))

    bad = reference_problem(ref("https://exa mple.com/"))
    assert bad is not None and bad.detail == "malformed-url"
    assert reference_problem(ref("https://kubernetes.io/docs/")) is None
    assert reference_problem(ref("https://kubernetes.io/ja/docs/", "ja")) is None
    assert reference_problem(ref("https://example.com/ja/", "en")) is None


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with FaultServer() as running:
        yield running


@pytest.mark.xdist_group("links-fault-server")
def test_external_check_with_cache(
    run_cli: Callable[..., Any], write_glossary: Callable[..., Path], server: FaultServer, tmp_path: Path
) -> None:
    site = tmp_path / "ext"
    site.mkdir()
    (site / "index.html").write_text(
        f'<a href="{server.url("/ok")}">ok</a>\n<a href="{server.url("/missing")}">404</a>\n'
        f'<a href="{server.url("/moved")}">moved</a>\n<a href="{server.url("/ok")}#here">frag</a>\n',
        encoding="utf-8",
    )
    glossary = write_glossary(pods=ENTRY.format(extra=server.url("/gone")))
    cache = tmp_path / "cache.json"
    args = (
        "links",
        str(site),
        "--external",
        "--glossary",
        str(glossary),
        "--cache",
        str(cache),
        "--format",
        "json",
        "--timeout",
        "2",
        "--deadline",
        "10",
        "--exclude",
        "kubernetes[.]io",
    )
    first = json.loads(run_cli(*args, cwd=tmp_path).out)
    by_target = {p["target"]: p for p in first["problems"]}
    assert sorted(by_target) == [server.url(p) for p in ("/gone", "/missing", "/moved")]
    assert by_target[server.url("/missing")]["occurrences"][0]["line"] == 2
    gone = by_target[server.url("/gone")]["occurrences"][0]
    assert gone["path"].endswith("pods.yaml") and gone["line"] == 11
    moved = by_target[server.url("/moved")]
    assert moved["severity"] == "warning" and moved["final_url"] == server.url("/ok")
    hits_ok, hits_missing = server.hits["/ok"], server.hits["/missing"]
    second = run_cli(*args, cwd=tmp_path)
    assert second.code == 1
    assert json.loads(second.out)["cached"] == 2  # /ok and /moved: successes only
    assert server.hits["/ok"] == hits_ok and server.hits["/missing"] > hits_missing


def test_a_problem_lists_the_glossary_line_before_the_pages() -> None:
    """The line to edit comes first, whatever the page paths sort like; then pages in path order."""
    from k8skb.links.pipeline import _occurrences
    from k8skb.links.types import Link, Occurrence

    url = "https://example.com/gone"
    source = "glossary/workloads.yaml:3"
    page_en = Occurrence(path="en/glossary/pod/index.html", attribute="href", origin=source, url=url)
    page_ja = Occurrence(path="glossary/pod/index.html", attribute="href", origin=source, url=url)
    reference = Occurrence(path="glossary/workloads.yaml", line=9, column=7, attribute="reference", url=url)
    links = [Link(url=url, occurrence=o) for o in (page_ja, reference, page_en)]
    located = {id(links[0]): replace(page_ja, line=14, column=5)}
    assert _occurrences(links, located) == (reference, page_en, replace(page_ja, line=14, column=5))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_registered_format_is_a_cli_choice(
    run_cli: Callable[..., Any], tmp_path: Path, fmt: str
) -> None:
    """Each name of the format registry is accepted by --format and renders the report."""
    result = run_cli("links", str(SITE), "--offline", "--format", fmt, cwd=tmp_path)
    assert result.code == 1 and result.out.strip()
    assert_no_traceback(result)


def test_a_file_as_site_dir_and_a_directory_as_output_are_usage_errors(
    run_cli: Callable[..., Any], clean_site: Path, tmp_path: Path
) -> None:
    as_file = run_cli("links", str(clean_site / "index.html"), "--offline", cwd=tmp_path)
    assert as_file.code == 2 and "is a file" in as_file.err
    to_directory = run_cli("links", str(clean_site), "--offline", "--output", str(tmp_path), cwd=tmp_path)
    assert to_directory.code == 2 and "is a directory" in to_directory.err
    assert_no_traceback(as_file)
    assert_no_traceback(to_directory)


@pytest.mark.xdist_group("links-fault-server")
def test_a_corrupted_cache_entry_is_dropped_with_a_note(
    run_cli: Callable[..., Any], server: FaultServer, tmp_path: Path
) -> None:
    site = tmp_path / "ext"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{server.url("/ok")}">ok</a>', encoding="utf-8")
    cache = tmp_path / "cache.json"
    entry = {"checked": "abc", "status": 200, "message": "", "detail": "ok"}
    cache.write_text(json.dumps({"version": 1, "entries": {server.url("/ok"): entry}}), encoding="utf-8")
    args = ("links", str(site), "--external", "--cache", str(cache), "--glossary", str(tmp_path))
    result = run_cli(*args, "--timeout", "2", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.output
    document = json.loads(result.out)
    assert document["cached"] == 0 and any("dropped 1 unusable" in note for note in document["notes"])
    assert server.hits["/ok"] >= 1
    assert_no_traceback(result)


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit"])
def test_control_characters_in_a_url_never_reach_the_output_raw(
    run_cli: Callable[..., Any], tmp_path: Path, fmt: str
) -> None:
    """An href holding ESC]0;…BEL (sets a terminal's title) is shown escaped; JUnit stays well-formed."""
    site = tmp_path / "hostile"
    site.mkdir()
    (site / "index.html").write_text('<a href="gone&#27;]0;owned&#7;/">x</a>', encoding="utf-8")
    result = run_cli("links", str(site), "--offline", "--format", fmt, cwd=tmp_path)
    assert result.code == 1
    assert "\x1b" not in result.out and "\x07" not in result.out and "\\x1b" in result.out
    if fmt == "junit":
        ET.fromstring(result.out)


def test_site_url_option_and_the_note_on_a_detected_one(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    site = tmp_path / "s"
    (site / "en").mkdir(parents=True)
    (site / "en" / "index.html").write_text("<p>en</p>", encoding="utf-8")
    (site / "index.html").write_text(
        '<link rel="canonical" href="https://you.github.io/k8skb/"><a href="/k8skb/en/">en</a>',
        encoding="utf-8",
    )
    detected = run_cli("links", str(site), "--offline", cwd=tmp_path)
    assert detected.code == 0, detected.output
    assert "note: site URL https://you.github.io/k8skb/ (the home page's canonical link)" in detected.out
    given = run_cli("links", str(site), "--offline", "--site-url", "https://me.example/other/", cwd=tmp_path)
    assert given.code == 1 and "leaves the site, published under /other/: /k8skb/en/" in given.out
    none = run_cli("links", str(site), "--offline", "--site-url", "", cwd=tmp_path)
    assert none.code == 1 and "page not found: /k8skb/en/" in none.out


def test_sarif_has_no_made_up_line_and_relative_uris(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    """A page that cannot be read has no line: the location is the whole file (no ``startLine: 1``)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "deep.html").write_text("<div>" * 600, encoding="utf-8")
    (site / "index.html").write_text('\n\n<a href="gone/">g</a>', encoding="utf-8")
    result = run_cli("links", str(site), "--offline", "--format", "sarif", cwd=tmp_path)
    document = json.loads(result.out)
    validate_sarif(document)
    places = {
        r["ruleId"]: [loc["physicalLocation"] for loc in r["locations"]]
        for r in document["runs"][0]["results"]
    }
    assert places == {
        "too-deep": [{"artifactLocation": {"uri": "site/deep.html"}}],
        "missing-page": [
            {"artifactLocation": {"uri": "site/index.html"}, "region": {"startLine": 3, "startColumn": 1}}
        ],
    }


SECRET_URL = "https://user:s3cret@example.com/private"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_credentials_in_urls_are_redacted_in_every_format(
    run_cli: Callable[..., Any], tmp_path: Path, fmt: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<a href="{SECRET_URL}\\x">x</a> <a href="//tok3n@example.com/y">y</a>', encoding="utf-8"
    )
    result = run_cli("links", str(site), "--offline", "--format", fmt, cwd=tmp_path)
    assert "warning" in result.out.lower() and "s3cret" not in result.out and "tok3n" not in result.out
    assert "https://***@example.com/private" in result.out


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names there are always Unicode")
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_file_names_that_are_not_utf8_keep_every_report_valid(
    run_cli: Callable[..., Any], tmp_path: Path, fmt: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    try:
        (Path(os.fsdecode(bytes(site))) / os.fsdecode(b"caf\xe9.html")).write_text(
            '<a href="gone/">g</a>', "utf-8"
        )
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (site / "index.html").write_text('<a href="caf%E9.html">c</a> <a href="caf%C3%A9.html">d</a>', "utf-8")
    out = tmp_path / f"report.{fmt}"
    result = run_cli("links", str(site), "--offline", "--format", fmt, "--output", str(out), cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.err, result.err
    text = out.read_bytes().decode("utf-8")  # valid UTF-8, or this raises
    if fmt == "json":
        found = {p["target"]: [o["path"] for o in p["occurrences"]] for p in json.loads(text)["problems"]}
        assert found == {"/gone/": [f"{site}/caf\\xe9.html"], "/café.html": [f"{site}/index.html"]}
    elif fmt == "sarif":
        document = json.loads(text)
        validate_sarif(document)
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]
            for loc in r["locations"]
        }
        assert uris == {"site/caf%E9.html", "site/index.html"}
    else:
        assert "caf\\xe9.html" in text


def test_credentials_never_reach_the_cache_file(tmp_path: Path) -> None:
    from k8skb.links import cache as link_cache
    from k8skb.links.options import UrlResult
    from k8skb.links.pipeline import _from_cache, _to_cache
    from k8skb.links.types import Outcome

    cache = link_cache.LinkCache(max_age=3600)
    _to_cache(cache, SECRET_URL, UrlResult(outcome=Outcome(ok=True, status=200)))
    link_cache.save(tmp_path / "c.json", cache)
    written = (tmp_path / "c.json").read_text(encoding="utf-8")
    assert "s3cret" not in written and "https://***@example.com/private" in written
    assert _from_cache(link_cache.load(tmp_path / "c.json", 3600), SECRET_URL, set()) is not None
