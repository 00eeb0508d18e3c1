"""Link checking for the built site and the glossary: collect → extract → filter → check → report.

Flow: ``collector`` lists the site's files and the glossary's references → ``extract`` parses each
page into links and anchors → ``filter`` says what each URL is → ``checker.internal`` (site paths),
``checker.http`` (http(s) URLs, through ``pipeline.check_external``) and ``checker.glossary`` (no
network) turn targets into ``Outcome`` records → ``pipeline`` groups failures into ``Problem``
records with every place they occur → ``report`` renders the ``Report``. The ``k8skb links``
command (``k8skb.commands.links``) wires them together.

Where each kind of change goes:

- a new rule (a new kind of problem): return an ``Outcome`` with a new ``detail`` from the checker
  that finds it, and describe the rule in ``report.RULES`` (SARIF shows that text);
- a new report format: one ``render_<name>(report, site_label) -> str`` in ``report`` and one entry
  in ``report.FORMATS`` (the CLI's ``--format`` choices come from it);
- a new check of external URLs (a header, a status, a body property): ``checker.http.HttpChecker``,
  with its knob in ``options.HttpOptions`` and the flag in ``k8skb.commands.links``; a new check of
  site paths: ``checker.internal.InternalChecker``; of glossary references: ``checker.glossary``;
- a new kind of link in a page (an attribute, an element): ``extract``.

Records are frozen, keyword-only dataclasses (``types``, ``options``, ``retry``); the state of a
run being built up (``Report``, ``SiteScan``, …) is a plain dataclass with slots.
"""

from k8skb.links.checker.glossary import check_glossary
from k8skb.links.options import HttpOptions, parse_accept
from k8skb.links.pipeline import check_external, scan_site
from k8skb.links.report import FORMATS, render
from k8skb.links.types import Kind, Occurrence, Outcome, Problem, Report, Severity

__all__ = [
    "FORMATS",
    "HttpOptions",
    "Kind",
    "Occurrence",
    "Outcome",
    "Problem",
    "Report",
    "Severity",
    "check_external",
    "check_glossary",
    "parse_accept",
    "render",
    "scan_site",
]
