"""Format a link-check ``Report``: text, JSON, Markdown, JUnit XML or SARIF 2.1.0.

Flow: the CLI passes the finished ``Report`` and one format name to ``render`` → the renderer that
``FORMATS`` (the one registry of formats: the CLI's ``--format`` choices come from it) names for it
returns the whole document as a string. Every problem lists all of its occurrences; a page
occurrence is shown as ``SITE_DIR/page:line:column`` and, when the page was generated from the
glossary, with the YAML ``file:line`` behind it. In SARIF the YAML line comes first, so code-scanning
tools show a broken reference on the glossary line itself.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from k8skb import __version__
from k8skb.links.filter import redact_credentials
from k8skb.links.types import Occurrence, Outcome, Problem, Report, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES = {
    "missing-page": "Link to a page that does not exist in the built site",
    "missing-file": "Link to a file (image, script, download) that does not exist",
    "wrong-case": "Link whose path differs from the real file only in letter case",
    "missing-index": "Link to a directory of the site that has no index.html",
    "missing-fragment": "Link to an anchor (#fragment) the target page does not have",
    "outside-site": "Link climbing above the site root, or leaving the base path the site is published under",
    "backslash": "URL with a backslash, which browsers read as '/' (write '/')",
    "sitemap": "sitemap.xml entry outside the site, or written without the site's URL",
    "unreadable": "Page that cannot be read (not a regular file, or larger than the size cap)",
    "too-deep": "Page nesting elements deeper than 512, not parsed (parsing it would take minutes)",
    "http-status": "External URL answering with a status that is not accepted",
    "redirect": "External URL that redirects permanently (update the link)",
    "redirect-loop": "External URL whose redirects loop",
    "redirects": "External URL with too many redirects",
    "timeout": "External URL that did not answer in time",
    "invalid-url": "External URL that cannot be requested (bad port, malformed host, …)",
    "invalid-redirect": "External URL redirecting to a Location that cannot be followed",
    "check-failed": "External URL whose check failed unexpectedly",
    "connection": "External URL whose server cannot be reached",
    "network": "External URL that failed at the network level",
    "deadline": "External URL not checked before the overall deadline",
    "malformed-url": "Glossary reference whose URL is not a well-formed http(s) URL",
    "language-mismatch": "Glossary reference whose kubernetes.io path does not match its declared language",
}


def valid_text(text: str) -> str:
    """``text`` as valid UTF-8: bytes of a file name that are not UTF-8 shown as ``\\xNN``."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        raw = text.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def _shown(text: str) -> str:
    return valid_text(redact_credentials(text))


def displayable(report: Report) -> Report:
    """``report`` with every text fit to show: credentials in URLs redacted, valid UTF-8.

    Occurrence paths keep their bytes (``occurrence_path`` and SARIF's ``uri`` show them each in their
    way); everything else is cleaned here, once, for every format.
    """
    problems = [
        replace(
            p,
            target=_shown(p.target),
            outcome=_shown_outcome(p.outcome),
            occurrences=tuple(
                replace(o, url=_shown(o.url), origin=None if o.origin is None else _shown(o.origin))
                for o in p.occurrences
            ),
        )
        for p in report.problems
    ]
    shown = replace(report, problems=problems, notes=[_shown(n) for n in report.notes])
    return shown


def _shown_outcome(outcome: Outcome) -> Outcome:
    final = None if outcome.final_url is None else _shown(outcome.final_url)
    return replace(outcome, message=_shown(outcome.message), final_url=final)


def occurrence_path(occ: Occurrence, site_label: str) -> str:
    """The file an occurrence is in, as the user knows it: ``SITE_DIR/page`` or the YAML path."""
    if occ.attribute == "reference" or not site_label:
        return valid_text(occ.path)
    return valid_text(posixpath.join(site_label.replace("\\", "/").rstrip("/") or ".", occ.path))


def occurrence_text(occ: Occurrence, site_label: str) -> str:
    """``path:line:column`` plus the link as written and the glossary origin when known."""
    text = occ.where().replace(occ.path, occurrence_path(occ, site_label), 1)
    if occ.attribute and occ.attribute != "reference":
        text += f'  {occ.attribute}="{occ.url}"'
    if occ.origin and occ.attribute != "reference":
        text += f"  (from {occ.origin})"
    return text


def summary(report: Report) -> str:
    """One line: counts of problems and of what was checked."""
    parts = [
        f"{report.pages} page(s)",
        f"{report.links} link(s)",
        f"{report.internal_targets} internal target(s)",
    ]
    if report.external_targets:
        parts.append(
            f"{report.external_targets} external URL(s)"
            + (f", {report.cached} from cache" if report.cached else "")
        )
    if report.excluded:
        parts.append(f"{report.excluded} excluded")
    checked = ", ".join(parts)
    if report.problems:
        return f"{report.errors} error(s), {report.warnings} warning(s) ({checked})"
    return f"ok: no broken links ({checked})"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN``: a URL never reaches a terminal raw."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_text(report: Report, site_label: str) -> str:
    """Plain text: one block per problem (severity, target, reason), then every occurrence indented."""
    lines = [f"note: {n}" for n in report.notes]
    for problem in report.sorted_problems():
        lines.append(
            f"{problem.severity.value}: {problem.message}"
            + ("" if problem.target in problem.message else f" [{problem.target}]")
        )
        lines.extend(f"  {occurrence_text(o, site_label)}" for o in problem.occurrences)
    lines.append(summary(report))
    return "\n".join(printable(line) for line in lines) + "\n"


def _occurrence_json(occ: Occurrence, site_label: str) -> dict[str, Any]:
    return {
        "path": occurrence_path(occ, site_label),
        "line": occ.line,
        "column": occ.column,
        "attribute": occ.attribute,
        "url": occ.url,
        "source": occ.origin,
    }


def render_json(report: Report, site_label: str) -> str:
    """JSON: ``ok``, counts and ``problems`` (each with ``occurrences``)."""
    document = {
        "ok": report.errors == 0,
        "errors": report.errors,
        "warnings": report.warnings,
        "pages": report.pages,
        "links": report.links,
        "internal_targets": report.internal_targets,
        "external_targets": report.external_targets,
        "cached": report.cached,
        "excluded": report.excluded,
        "notes": report.notes,
        "problems": [
            {
                "kind": p.kind.value,
                "target": p.target,
                "severity": p.severity.value,
                "rule": p.outcome.detail,
                "message": p.message,
                "status": p.outcome.status or None,
                "final_url": p.outcome.final_url,
                "occurrences": [_occurrence_json(o, site_label) for o in p.occurrences],
            }
            for p in report.sorted_problems()
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return printable(text.replace("\n", " ")).replace("|", "\\|")


def render_markdown(report: Report, site_label: str) -> str:
    """Markdown: a summary line and a table row per occurrence, grouped under each problem."""
    lines = ["# Link check", "", summary(report), ""]
    for problem in report.sorted_problems():
        icon = "❌" if problem.severity is Severity.ERROR else "⚠️"
        lines += [
            f"## {icon} {_md(problem.message)}",
            "",
            f"Target: `{_md(problem.target)}`",
            "",
            "| Where | Link | Glossary source |",
            "| --- | --- | --- |",
        ]
        for occ in problem.occurrences:
            where = occ.where().replace(occ.path, occurrence_path(occ, site_label), 1)
            lines.append(f"| `{_md(where)}` | `{_md(occ.url)}` | {_md(occ.origin or '')} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_junit(report: Report, site_label: str) -> str:
    """JUnit XML: one test case per problem (errors fail, warnings pass with output)."""
    import xml.etree.ElementTree as ET  # only this format needs it

    problems = report.sorted_problems()
    suite = ET.Element(
        "testsuite",
        name="k8skb links",
        tests=str(max(1, len(problems))),
        failures=str(report.errors),
        errors="0",
        skipped="0",
    )
    for problem in problems:
        case = ET.SubElement(
            suite, "testcase", classname=f"links.{problem.kind.value}", name=printable(problem.target)
        )
        body = "\n".join(printable(occurrence_text(o, site_label)) for o in problem.occurrences)
        if problem.severity is Severity.ERROR:
            failure = ET.SubElement(
                case, "failure", message=printable(problem.message), type=problem.outcome.detail
            )
            failure.text = body
        else:
            ET.SubElement(case, "system-out").text = f"warning: {printable(problem.message)}\n{body}"
    if not problems:
        ET.SubElement(suite, "testcase", classname="links", name="all links")
    root = ET.Element("testsuites", name="k8skb", tests=suite.get("tests", "0"), failures=str(report.errors))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def sarif_uri(occ: Occurrence, site_label: str) -> str:
    """The occurrence's file as a relative URI (never an absolute path of this machine).

    ``SITE_DIR`` is made relative to the working directory when it is inside it, else left out (the
    page's path in the site); bytes that are not UTF-8 are percent-encoded.
    """
    path = occ.path
    if occ.attribute != "reference" and site_label:
        label = site_label
        if Path(label).is_absolute():
            try:
                label = os.path.relpath(label)
            except ValueError:  # another drive (Windows)
                label = ""
            if label.startswith(".."):
                label = ""
        label = label.replace("\\", "/").rstrip("/")
        path = posixpath.join(label, path) if label and label != "." else path
    return "".join(_uri_char(c) for c in path)


def _uri_char(char: str) -> str:
    """One character of a path in a URI: a byte that is not UTF-8 (``\\udcNN``), a space, ``%``,
    ``#``, ``?`` or a control percent-encoded; everything else, letters of any script too, as is."""
    if "\udc80" <= char <= "\udcff":
        return f"%{ord(char) - 0xDC00:02X}"
    if char in ' %#?\\"<>[]^`{|}' or ord(char) < 0x20 or ord(char) == 0x7F or "\ud800" <= char <= "\udfff":
        return quote(char.encode("utf-8", "backslashreplace"), safe="")
    return char


def _sarif_location(occ: Occurrence, site_label: str, index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": sarif_uri(occ, site_label)}}
    if occ.line:  # no made-up line: without one, the location is the whole file
        region = {"startLine": occ.line}
        if occ.column:
            region["startColumn"] = occ.column
        physical["region"] = region
    return {
        "id": index,
        "physicalLocation": physical,
        "message": {"text": f"{occ.attribute or 'link'}: {occ.url}" if occ.url else "link"},
    }


def _sarif_locations(problem: Problem, site_label: str) -> list[dict[str, Any]]:
    """Glossary YAML lines first (from references and from generated pages), then every page."""
    yaml_sources: list[Occurrence] = []
    for occ in problem.occurrences:
        if occ.attribute == "reference":
            yaml_sources.append(occ)
        elif occ.origin:
            yaml_sources.append(_origin_occurrence(occ.origin, occ.url))
    pages = [o for o in problem.occurrences if o.attribute != "reference"]
    ordered = list(dict.fromkeys([*yaml_sources, *pages]))
    return [_sarif_location(o, site_label, i) for i, o in enumerate(ordered)]


def _origin_occurrence(origin: str, url: str) -> Occurrence:
    path, _, line = origin.rpartition(":")
    if not path or not line.isdigit():
        return Occurrence(path=origin, attribute="reference", origin=origin, url=url)
    from k8skb.glossary.model import Source  # the glossary package is imported only when needed

    return Occurrence(
        path=path, line=int(line), attribute="reference", origin=str(Source(path, int(line))), url=url
    )


def _sarif_placed(locations: list[dict[str, Any]]) -> dict[str, Any]:
    """The first location (what code scanning annotates) and every further one as related."""
    if not locations:
        return {"locations": []}
    first = {k: v for k, v in locations[0].items() if k != "id"}
    if len(locations) == 1:
        return {"locations": [first]}
    return {"locations": [first], "relatedLocations": locations[1:]}


def render_sarif(report: Report, site_label: str) -> str:
    """SARIF 2.1.0: one result per problem, every occurrence a location (glossary YAML lines first)."""
    used = sorted({p.outcome.detail for p in report.problems})
    rules = [
        {
            "id": rule,
            "name": rule.title().replace("-", ""),
            "shortDescription": {"text": RULES.get(rule, rule)},
            "defaultConfiguration": {"level": "warning" if rule == "redirect" else "error"},
        }
        for rule in used
    ]
    index = {rule: i for i, rule in enumerate(used)}
    results = [
        {
            "ruleId": p.outcome.detail,
            "ruleIndex": index[p.outcome.detail],
            "level": "error" if p.severity is Severity.ERROR else "warning",
            "message": {"text": f"{p.message} [{p.target}]" if p.target not in p.message else p.message},
            "partialFingerprints": {"target": p.target},
            **_sarif_placed(_sarif_locations(p, site_label)),
        }
        for p in report.sorted_problems()
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "k8skb-links", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


Renderer = Callable[[Report, str], str]
"""A report format: (report, how SITE_DIR is shown) → the whole document."""
FORMATS: Mapping[str, Renderer] = MappingProxyType(
    {
        "text": render_text,
        "json": render_json,
        "markdown": render_markdown,
        "junit": render_junit,
        "sarif": render_sarif,
    }
)
"""Every report format by name: a new format is one function above and one entry here."""


def render(report: Report, fmt: str, site_label: str = "site") -> str:
    """Return ``report`` formatted as ``fmt`` (a name of ``FORMATS``), credentials redacted, valid UTF-8."""
    return FORMATS[fmt](displayable(report), site_label)
