"""Build-time diagrams as inline SVG: boxes that link to term pages, and arrows between them.

Flow: a caller describes a picture with plain records (``Box`` in columns plus ``Arrow`` between
slots, or a ``ClusterPicture`` of groups) → a simple layout (columns left to right, boxes stacked
inside a column; or nested group rectangles) → an SVG string. Every box is an ``<a href>`` named by
its label (``aria-label``) with a ``<title>`` (its tooltip, read as the link's description); the
``<svg>`` is a group named by its own ``<title>``; every text is escaped. Pure functions only: no
MkDocs, no files, and no script, so the pages stay offline and light (Material would fetch mermaid
from a CDN).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from k8skb.site.text import attr, html_text

BOX_HEIGHT = 36
BOX_MIN_WIDTH = 96
COLUMN_GAP = 120
ROW_GAP = 14
MARGIN = 12
FONT_SIZE = 13


@dataclass(frozen=True, slots=True, kw_only=True)
class Box:
    """One box: ``slot`` identifies it inside its diagram; it links to ``href``."""

    slot: str
    label: str
    href: str
    tooltip: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Arrow:
    """An arrow from one slot to another, with an optional short label."""

    source: str
    target: str
    label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    """A labelled frame holding boxes (e.g. the control plane, one node)."""

    label: str
    href: str
    members: tuple[Box, ...]
    tooltip: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterPicture:
    """A cluster: one control-plane group above some node groups, with arrows between members."""

    label: str
    href: str
    control_plane: Group
    nodes: tuple[Group, ...]
    arrows: tuple[Arrow, ...] = ()
    tooltip: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Placed:
    box: Box
    x: float
    y: float
    width: float


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Estimate the rendered width of ``text``: wide (CJK) characters count about twice as wide."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return wide * size * 1.05 + (len(text) - wide) * size * 0.6


def box_width(label: str) -> float:
    """Return the width of a box that fits ``label``."""
    return max(BOX_MIN_WIDTH, text_width(label) + 24)


def layer_columns(keys: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Put ``keys`` into columns by longest path from a source (cycles are cut), keeping input order."""
    known = set(keys)
    outgoing: dict[str, list[str]] = {k: [] for k in keys}
    for source, target in edges:
        if source in known and target in known and source != target:
            outgoing[source].append(target)
    depth: dict[str, int] = dict.fromkeys(keys, 0)
    for _ in range(len(keys)):
        changed = False
        for source in keys:
            for target in outgoing[source]:
                if depth[target] < depth[source] + 1 <= len(keys) - 1:
                    depth[target] = depth[source] + 1
                    changed = True
        if not changed:
            break
    columns: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for key in keys:
        columns[depth[key]].append(key)
    return [c for c in columns if c]


def _box_svg(placed: _Placed, css: str = "k8skb-box") -> str:
    """A box linking to its term: named by its label, its ``<title>`` (the summary) is the description."""
    box = placed.box
    cls = f"{css} k8skb-current" if box.current else css
    title = f"<title>{html_text(box.tooltip or box.label)}</title>"
    current = ' aria-current="page"' if box.current else ""
    cx = placed.x + placed.width / 2
    cy = placed.y + BOX_HEIGHT / 2
    return (
        f'<a href="{attr(box.href)}" class="{cls}" aria-label="{attr(box.label)}"{current}>{title}'
        f'<rect x="{placed.x:.0f}" y="{placed.y:.0f}" width="{placed.width:.0f}" height="{BOX_HEIGHT}" '
        f'rx="6" fill="#fff" stroke="#3f51b5"/>'
        f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" dominant-baseline="central" '
        f'font-size="{FONT_SIZE}">{html_text(box.label)}</text></a>'
    )


def _svg_open(uid: str, width: float, height: float, title: str) -> str:
    return (
        f'<svg class="k8skb-diagram" xmlns="http://www.w3.org/2000/svg" role="group" '
        f'aria-labelledby="{attr(uid)}-title" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}"><title id="{attr(uid)}-title">{html_text(title)}</title>'
        f'<defs><marker id="{attr(uid)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="k8skb-arrowhead"/>'
        f"</marker></defs>"
    )


LABEL_SIZE = 10
LABEL_LINE = 12
LANE_GAP = 16


def _label_svg(x: float, y: float, lines: Sequence[str]) -> str:
    """Return an edge label centred on (x, y), one ``tspan`` per line, with a halo (readable on lines)."""
    top = y - (len(lines) - 1) * LABEL_LINE / 2
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{top + i * LABEL_LINE:.0f}">{html_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text class="k8skb-edge-label" text-anchor="middle" dominant-baseline="central" '
        f'font-size="{LABEL_SIZE}" paint-order="stroke" stroke="#fff" stroke-width="3" '
        f'stroke-linejoin="round">{spans}</text>'
    )


def _arrow_svg(
    uid: str, x1: float, y1: float, x2: float, y2: float, label: str, curve: float = 0, at: float = 0.5
) -> str:
    """Return an arrow from (x1, y1) to (x2, y2); its label sits at fraction ``at`` of the way."""
    if curve:
        mx, my = (x1 + x2) / 2, max(y1, y2) + curve
        path = f"M{x1:.0f},{y1:.0f} Q{mx:.0f},{my:.0f} {x2:.0f},{y2:.0f}"
        lx, ly = mx, (max(y1, y2) + my) / 2
    else:
        path = f"M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}"
        lx, ly = x1 + (x2 - x1) * at, y1 + (y2 - y1) * at - 5
    out = _edge_path(uid, path)
    if label:
        out += _label_svg(lx, ly, [label])
    return out


def _edge_path(uid: str, path: str) -> str:
    return (
        f'<path class="k8skb-edge" d="{path}" fill="none" stroke="#666" '
        f'marker-end="url(#{attr(uid)}-arrow)"/>'
    )


def merge_arrows(arrows: Iterable[Arrow]) -> list[tuple[str, str, list[str]]]:
    """Merge arrows between the same two slots into one: ``(source, target, [labels])``, in order."""
    merged: dict[tuple[str, str], list[str]] = {}
    for arrow in arrows:
        labels = merged.setdefault((arrow.source, arrow.target), [])
        if arrow.label and arrow.label not in labels:
            labels.append(arrow.label)
    return [(s, t, labels) for (s, t), labels in merged.items()]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: _Rect) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


def columns_svg(columns: Sequence[Sequence[Box]], arrows: Sequence[Arrow], title: str, uid: str) -> str:
    """Draw ``columns`` of boxes left to right with ``arrows`` between slots; return an SVG string.

    Arrows between the same two boxes become one arrow with every label (one per line). Each gap
    between columns is wide enough for the labels placed in it; a label sits in the first gap its
    arrow crosses, at the first spot along the arrow where it overlaps no box and no other label.
    """
    columns = [c for c in columns if c]
    if not columns:
        return ""
    column_of = {box.slot: i for i, column in enumerate(columns) for box in column}
    edges = [
        (s, t, labels)
        for s, t, labels in merge_arrows(arrows)
        if s in column_of and t in column_of and s != t
    ]
    gaps = [float(COLUMN_GAP)] * (len(columns) - 1)
    for s, t, labels in edges:
        first = column_of[s]
        if column_of[t] - first == 1:
            widest = max((text_width(label, LABEL_SIZE) for label in labels), default=0)
            gaps[first] = max(gaps[first], widest + 40)
    widths = [max(box_width(b.label) for b in column) for column in columns]
    heights = [len(c) * BOX_HEIGHT + (len(c) - 1) * ROW_GAP for c in columns]
    tallest = max(heights)
    placed: dict[str, _Placed] = {}
    size: dict[str, int] = {box.slot: len(column) for column in columns for box in column}
    x = float(MARGIN)
    column_right: list[float] = []
    for i, (column, width, height) in enumerate(zip(columns, widths, heights, strict=True)):
        column_right.append(x + width)
        y = MARGIN + (tallest - height) / 2
        for box in column:
            placed[box.slot] = _Placed(box=box, x=x, y=y, width=width)
            y += BOX_HEIGHT + ROW_GAP
        x += width + (gaps[i] if i < len(gaps) else 0)
    total_w = x + MARGIN
    # arrows that go back or skip a column run below the boxes, one lane each, so they cross no box
    lanes = [(s, t, labels) for s, t, labels in edges if not 0 < column_of[t] - column_of[s] <= 1]
    total_h = tallest + 2 * MARGIN + (len(lanes) * LANE_GAP + 8 if lanes else 0)
    parts = [_svg_open(uid, total_w, total_h, title)]
    taken = [_Rect(x=p.x, y=p.y, w=p.width, h=BOX_HEIGHT) for p in placed.values()]
    labels_svg: list[str] = []
    for s, t, labels in edges:
        src, dst = placed[s], placed[t]
        if (s, t, labels) in lanes:
            lane = lanes.index((s, t, labels))
            lane_y = MARGIN + tallest + (lane + 1) * LANE_GAP
            # leave and enter the boxes sideways, through the gaps, so no box of their column is crossed
            x1, y1 = src.x + src.width, src.y + BOX_HEIGHT / 2
            out_x = column_right[column_of[s]] + 8 + (lane % 4) * 5
            if column_of[t] > column_of[s]:
                x2, in_x = dst.x, dst.x - 8 - (lane % 4) * 5
            else:
                x2 = dst.x + dst.width
                in_x = column_right[column_of[t]] + 8 + (lane % 4) * 5
            y2 = dst.y + BOX_HEIGHT / 2
            parts.append(
                _edge_path(
                    uid,
                    f"M{x1:.0f},{y1:.0f} L{out_x:.0f},{y1:.0f} L{out_x:.0f},{lane_y:.0f} "
                    f"L{in_x:.0f},{lane_y:.0f} L{in_x:.0f},{y2:.0f} L{x2:.0f},{y2:.0f}",
                )
            )
            x1, x2 = out_x, in_x
            if labels:
                spot = _label_spot(
                    x1, lane_y, x2, lane_y, x2, labels, taken, (0.5, 0.3, 0.7, 0.15, 0.85), (0,)
                )
                taken.append(spot)
                labels_svg.append(_label_svg(spot.x + spot.w / 2, spot.y + spot.h / 2, labels))
            continue
        x1, y1 = src.x + src.width, src.y + BOX_HEIGHT / 2
        x2, y2 = dst.x, dst.y + BOX_HEIGHT / 2
        parts.append(_edge_path(uid, f"M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}"))
        if labels:
            # prefer the more crowded end, where arrows spread apart rather than converge
            order = (0.5, 0.3, 0.7, 0.2, 0.8) if size[s] >= size[t] else (0.5, 0.7, 0.3, 0.8, 0.2)
            spot = _label_spot(x1, y1, x2, y2, x2, labels, taken, order)
            taken.append(spot)
            labels_svg.append(_label_svg(spot.x + spot.w / 2, spot.y + spot.h / 2, labels))
    parts.extend(_box_svg(p) for p in placed.values())
    parts.extend(labels_svg)
    parts.append("</svg>")
    return "".join(parts)


def _label_spot(
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    gap_end: float,
    labels: Sequence[str],
    taken: Sequence[_Rect],
    order: Sequence[float],
    lifts: Sequence[float] | None = None,
) -> _Rect:
    """Return the box of a label on the segment (x1, y1)–(x2, y2), inside the gap up to ``gap_end``."""
    w = max(text_width(label, LABEL_SIZE) for label in labels) + 4
    h = len(labels) * LABEL_LINE
    first: _Rect | None = None
    for lift in lifts or (-(h / 2 + 2), h / 2 + 2, -(h + 6), h + 6):
        for at in order:
            lx = x1 + (gap_end - x1) * at
            ly = y1 + (y2 - y1) * ((lx - x1) / (x2 - x1) if x2 != x1 else 0) + lift
            rect = _Rect(x=lx - w / 2, y=ly - h / 2, w=w, h=h)
            first = first or rect
            if not any(rect.overlaps(other) for other in taken):
                return rect
    assert first is not None
    return first


def _group_frame(group: Group, x: float, y: float, width: float, height: float, css: str) -> str:
    title = f"<title>{html_text(group.tooltip or group.label)}</title>"
    return (
        f'<rect class="{css}" x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{height:.0f}" rx="10" '
        f'fill="none" stroke="#999"/>'
        f'<a href="{attr(group.href)}" class="k8skb-group-label" aria-label="{attr(group.label)}">{title}'
        f'<text x="{x + 10:.0f}" y="{y + 18:.0f}" font-size="{FONT_SIZE}" font-weight="bold">'
        f"{html_text(group.label)}</text></a>"
    )


def _row(members: Sequence[Box], x: float, y: float) -> tuple[list[_Placed], float]:
    placed = []
    for box in members:
        width = box_width(box.label)
        placed.append(_Placed(box=box, x=x, y=y, width=width))
        x += width + ROW_GAP
    return placed, x - ROW_GAP


def cluster_svg(picture: ClusterPicture, title: str, uid: str) -> str:
    """Draw a cluster: its control-plane group on top, node groups below, arrows from node parts up."""
    pad, label_h, gap = 14, 26, 70
    top = MARGIN + label_h
    cp_placed, cp_right = _row(picture.control_plane.members, MARGIN + pad * 2, top + label_h + pad)
    cp_width = max(cp_right - MARGIN - pad, box_width(picture.control_plane.label) + pad) + pad
    node_top = top + label_h + pad * 2 + BOX_HEIGHT + gap
    node_frames: list[tuple[Group, float, float]] = []
    node_placed: list[_Placed] = []
    x = float(MARGIN + pad)
    for group in picture.nodes:
        placed, right = _row(group.members, x + pad, node_top + label_h + pad)
        width = max(right - x, box_width(group.label)) + pad
        node_frames.append((group, x, width))
        node_placed.extend(placed)
        x += width + pad
    inner_width = max(cp_width, x - MARGIN - pad)
    total_w = inner_width + 2 * (MARGIN + pad)
    total_h = node_top + label_h + pad * 2 + BOX_HEIGHT + pad + MARGIN
    group_h = label_h + pad * 2 + BOX_HEIGHT
    parts = [_svg_open(uid, total_w, total_h, title)]
    cluster_group = Group(label=picture.label, href=picture.href, members=(), tooltip=picture.tooltip)
    parts.append(
        _group_frame(
            cluster_group, MARGIN, MARGIN, total_w - 2 * MARGIN, total_h - 2 * MARGIN, "k8skb-cluster"
        )
    )
    parts.append(_group_frame(picture.control_plane, MARGIN + pad, top, cp_width, group_h, "k8skb-group"))
    for group, gx, width in node_frames:
        parts.append(_group_frame(group, gx, node_top, width, group_h, "k8skb-group"))
    by_slot = {p.box.slot: p for p in cp_placed + node_placed}
    for arrow in picture.arrows:
        src, dst = by_slot.get(arrow.source), by_slot.get(arrow.target)
        if src is None or dst is None:
            continue
        x1, y1 = src.x + src.width / 2, src.y
        x2, y2 = dst.x + dst.width / 2, dst.y + BOX_HEIGHT
        parts.append(_arrow_svg(uid, x1, y1, x2, y2, ""))
    parts.extend(_box_svg(p) for p in cp_placed + node_placed)
    parts.append("</svg>")
    return "".join(parts)


LANE_PAD = 8
LANE_GAP_X = 32
PLAIN_SIZE = 11
PLAIN_LINE = 13


def plain_box_width(label: str) -> float:
    """Return the width of a plain (unlinked) box whose ``label`` may hold several lines."""
    return max(BOX_MIN_WIDTH, *(text_width(line, PLAIN_SIZE) + 20 for line in label.split("\n")))


def _plain_box_svg(placed: _Placed) -> str:
    """A box that is no term: dashed, in the text colour, no link; ``\\n`` in its label breaks lines."""
    box = placed.box
    lines = box.label.split("\n")
    cx = placed.x + placed.width / 2
    top = placed.y + BOX_HEIGHT / 2 - (len(lines) - 1) * PLAIN_LINE / 2
    spans = "".join(
        f'<tspan x="{cx:.0f}" y="{top + i * PLAIN_LINE:.0f}">{html_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    tooltip = box.tooltip or " ".join(lines)
    return (
        f'<g class="k8skb-plain"><title>{html_text(tooltip)}</title>'
        f'<rect x="{placed.x:.0f}" y="{placed.y:.0f}" width="{placed.width:.0f}" height="{BOX_HEIGHT}" '
        f'rx="6" fill="none" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"/>'
        f'<text text-anchor="middle" dominant-baseline="central" font-size="{PLAIN_SIZE}" '
        f'fill="currentColor">{spans}</text></g>'
    )


def lanes_svg(lanes: Sequence[tuple[str, Sequence[Box]]], title: str, uid: str) -> str:
    """Draw one row per lane, ``(key, hops)``: its boxes left to right, an arrow from each to the next.

    Lanes end on the right. A slot found in several lanes keeps one column, placed by the longest
    path from it to the end of any lane, so shared hops line up (e.g. every lane's last hop sits in
    the rightmost column). A box with an ``href`` is a link (a term); one without is a plain dashed
    box. Each lane is a ``<g class="k8skb-lane" data-lane="key">`` on a faint stripe.
    """
    lanes = [(key, list(hops)) for key, hops in lanes if hops]
    if not lanes:
        return ""
    slots = list(dict.fromkeys(box.slot for _key, hops in lanes for box in hops))
    backward = [(b.slot, a.slot) for _key, hops in lanes for a, b in pairwise(hops)]
    from_end = layer_columns(slots, backward)  # column 0: the lanes' ends
    column_of = {slot: len(from_end) - 1 - i for i, column in enumerate(from_end) for slot in column}
    widths = [0.0] * len(from_end)
    for _key, hops in lanes:
        for box in hops:
            width = box_width(box.label) if box.href else plain_box_width(box.label)
            widths[column_of[box.slot]] = max(widths[column_of[box.slot]], width)
    lefts: list[float] = []
    x = float(MARGIN)
    for width in widths:
        lefts.append(x)
        x += width + LANE_GAP_X
    total_w = x - LANE_GAP_X + MARGIN
    lane_h = BOX_HEIGHT + 2 * LANE_PAD
    total_h = 2 * MARGIN + len(lanes) * lane_h + (len(lanes) - 1) * ROW_GAP / 2
    parts = [_svg_open(uid, total_w, total_h, title)]
    for n, (key, hops) in enumerate(lanes):
        top = MARGIN + n * (lane_h + ROW_GAP / 2)
        placed = [
            _Placed(
                box=box, x=lefts[column_of[box.slot]], y=top + LANE_PAD, width=widths[column_of[box.slot]]
            )
            for box in hops
        ]
        parts.append(
            f'<g class="k8skb-lane" data-lane="{attr(key)}">'
            f'<rect x="{MARGIN / 2:.0f}" y="{top:.0f}" width="{total_w - MARGIN:.0f}" height="{lane_h}" '
            f'rx="8" fill="currentColor" fill-opacity="0.04"/>'
        )
        y = top + LANE_PAD + BOX_HEIGHT / 2
        for a, b in pairwise(placed):
            parts.append(_edge_path(uid, f"M{a.x + a.width:.0f},{y:.0f} L{b.x:.0f},{y:.0f}"))
        parts.extend(_box_svg(p) if p.box.href else _plain_box_svg(p) for p in placed)
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
