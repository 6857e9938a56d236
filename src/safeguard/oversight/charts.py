"""Bar charts drawn on the server as SVG: no script, no style attribute (the strict CSP), each shown beside the
table that holds the same figures. A chart is an image with a title and a description that points to its
table; colours are GOV.UK palette fills told apart by the legend and by their order in each group.

A suppressed figure ("fewer than N", "withheld") has no bar: a bar's height would give the figure away. Its
place in the group is marked with a short grey tick and the figure's text is in the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safeguard.rules.suppression import Figure

FILLS = ("#1d70b8", "#f47738", "#00703c", "#912b88", "#505a5f")
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 64
TICKS = 4


def _scale_top(figures: Sequence[Sequence[Figure]], guides: Sequence[float | None] = ()) -> int:
    shown = [f.value for row in figures for f in row if f.value]
    top = max([*shown, *(int(-(-g // 1)) for g in guides if g)], default=1)
    step = max(1, -(-top // TICKS))
    return step * TICKS


def bar_chart(
    chart_id: str,
    title: str,
    periods: Sequence[str],
    columns: Sequence[str],
    rows,
    guides: Sequence[float | None] | None = None,
    guide_label: str = "",
) -> SafeString:
    """Grouped bars: one group per period, one bar per column (``rows[period][column]``, Figures).

    ``guides``: a reference level per group (a capacity guide; None: none for that group), drawn as a dashed
    line across the group and named ``guide_label`` in the legend; its figures are in the table too."""
    guides = list(guides or [])
    top = _scale_top(rows, guides)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(1, len(periods))
    bar_w = group_w * 0.8 / max(1, len(columns))
    base = TOP + plot_h
    parts = [
        f'<svg class="sg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Bar chart. The figures are in the table below it; figures suppressed as '
        "small numbers have no bar.</desc>",
    ]
    for tick in range(TICKS + 1):
        value = top * tick // TICKS
        y = base - plot_h * tick / TICKS
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}</text>')
    for p, (period, row) in enumerate(zip(periods, rows, strict=True)):
        x0 = LEFT + group_w * p + group_w * 0.1
        for c, figure in enumerate(row):
            x = x0 + bar_w * c
            if figure.value is None:
                parts.append(
                    f'<line class="sg-chart__suppressed" x1="{x:.1f}" x2="{x + bar_w:.1f}" y1="{base - 2}" '
                    f'y2="{base - 2}" stroke="#505a5f" stroke-width="3"/>'
                )
                continue
            if not figure.value:
                continue  # 0: no bar to draw; the table reads 0
            h = plot_h * figure.value / top
            parts.append(
                f'<rect class="sg-chart__bar" x="{x:.1f}" y="{base - h:.1f}" width="{bar_w * 0.9:.1f}" '
                f'height="{h:.1f}" fill="{FILLS[c % len(FILLS)]}"/>'
            )
        guide = guides[p] if p < len(guides) else None
        if guide:
            y = base - plot_h * guide / top
            parts.append(
                f'<line class="sg-chart__guide" x1="{LEFT + group_w * p + 2:.1f}" '
                f'x2="{LEFT + group_w * (p + 1) - 2:.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 3"/>'
            )
        parts.append(
            f'<text x="{LEFT + group_w * (p + 0.5):.1f}" y="{base + 16}" text-anchor="middle" font-size="11">'
            f"{escape(period)}</text>"
        )
    legend_y = HEIGHT - 22
    for c, column in enumerate(columns):
        x = LEFT + c * 130
        parts.append(f'<rect x="{x}" y="{legend_y}" width="10" height="10" fill="{FILLS[c % len(FILLS)]}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y + 9}" font-size="11">{escape(column)}</text>')
    if guide_label and any(guides):
        x = LEFT + len(columns) * 130
        parts.append(
            f'<line x1="{x}" x2="{x + 16}" y1="{legend_y + 5}" y2="{legend_y + 5}" stroke="#0b0c0c" '
            'stroke-width="2" stroke-dasharray="6 3"/>'
        )
        parts.append(f'<text x="{x + 20}" y="{legend_y + 9}" font-size="11">{escape(guide_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above; numbers formatted here)
