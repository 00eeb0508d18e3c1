"""Link checking for the built site and the glossary: collect → extract → filter → check → report.

Public surface: ``scan_site`` (internal links of a built site), ``check_external`` (http(s) URLs of
pages and glossary), ``check_glossary`` (reference checks needing no network), ``render`` (formats).
The ``k8skb links`` command wires them together.
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
