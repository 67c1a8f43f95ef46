"""Charts as inline SVG: no JavaScript, no chart library (the portal runs on an intranet).
A chart is its numbers plus coordinates; `render` draws it with a title, axis labels and
a legend, and follows it with the same numbers as a table (`{{ chart.html }}`, as
`overview/_chart.html` includes it).

The markup is built here with `format_html` rather than by template loops: a dashboard
draws five charts of a few hundred marks each, which took a third of the page's time
through the template engine."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = 4
# The party red first, then colours that stay apart for the common colour blindnesses.
PALETTE = ("#c8102e", "#1f6fb2", "#e69f00", "#009e73", "#6f42c1", "#6c757d")

Number = int | float | Decimal | None


@dataclass
class Series:
    name: str
    values: list[Number]
    colour: str = ""


@dataclass
class Mark:
    x: float
    y: float
    width: float
    height: float
    value: Number
    text: str
    category: str
    series: str
    colour: str


@dataclass
class Line:
    series: str
    colour: str
    paths: list[str]  # one polyline per run of known values
    points: list[Mark]


@dataclass
class Tick:
    y: float
    text: str


@dataclass
class Label:
    x: float
    text: str


@dataclass
class Chart:
    key: str  # unique on the page: the ids of its title and description
    title: str
    kind: str  # "bar" or "line"
    categories: list[str]
    series: list[Series]
    unit: str = ""  # "%" for a rate
    y_label: str = ""
    description: str = ""
    category_header: str = ""  # the table's first column: "Month", "Segment"
    width: int = WIDTH
    height: int = HEIGHT
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    bars: list[Mark] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    left: int = LEFT
    top: int = TOP
    plot_bottom: int = TOP + PLOT_H
    plot_right: int = LEFT + PLOT_W
    x_axis_label_y: int = HEIGHT - 8

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    @property
    def html(self) -> SafeString:
        return render(self)

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The table under the chart: one row per category, one column per series."""
        return [
            (category, [_text(series.values[i], self.unit) for series in self.series])
            for i, category in enumerate(self.categories)
        ]


def _text(value: Number, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:.1f}{unit}"
    return f"{int(value)}{unit}"


def axis(largest: float, unit: str = "") -> tuple[float, float]:
    """(top, step) of the y axis: a rate runs to 100% in quarters; a count to a whole
    number of steps of 1, 2 or 5 × 10ⁿ, about four of them."""
    if unit == "%":
        return 100.0, 25.0
    largest = max(largest, 1)
    raw = largest / TICKS
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step * math.ceil(largest / step), float(step)


def _scale(chart: Chart) -> float:
    known = [float(v) for s in chart.series for v in s.values if v is not None]
    top, step = axis(max(known, default=0), chart.unit)
    intervals = round(top / step)
    chart.ticks = [
        Tick(
            y=round(chart.plot_bottom - PLOT_H * i / intervals, 1), text=_text(step * i, chart.unit)
        )
        for i in range(intervals + 1)
    ]
    return top


def _y(chart: Chart, value: float, top: float) -> float:
    return round(chart.plot_bottom - PLOT_H * min(value, top) / top, 1)


def _frame(chart: Chart) -> tuple[Chart, float, float]:
    """Colour the series and scale the y axis; (chart, the axis top, the width of a
    category's slot)."""
    _colour(chart.series)
    top = _scale(chart)
    return chart, top, PLOT_W / max(len(chart.categories), 1)


def bar_chart(
    key: str, title: str, categories: list[str], series: list[Series], **text: str
) -> Chart:
    """Grouped bars: one group per category, one bar per series. `text`: the chart's
    unit, y_label, description and category_header."""
    chart, top, slot = _frame(Chart(key, title, "bar", categories, series, **text))
    bar = slot * 0.8 / max(len(series), 1)
    for i, category in enumerate(categories):
        left = LEFT + slot * i + slot * 0.1
        chart.labels.append(Label(x=round(LEFT + slot * (i + 0.5), 1), text=category))
        for j, s in enumerate(series):
            value = s.values[i]
            y = _y(chart, float(value or 0), top)
            chart.bars.append(
                Mark(
                    x=round(left + bar * j, 1),
                    y=y,
                    width=round(max(bar - 1, 1), 1),
                    height=round(chart.plot_bottom - y, 1),
                    value=value,
                    text=_text(value, chart.unit),
                    category=category,
                    series=s.name,
                    colour=s.colour,
                )
            )
    return chart


def line_chart(
    key: str, title: str, categories: list[str], series: list[Series], **text: str
) -> Chart:
    """Lines over the categories (months); a value of None leaves a gap. `text`: as for
    `bar_chart`."""
    chart, top, slot = _frame(Chart(key, title, "line", categories, series, **text))
    xs = [round(LEFT + slot * (i + 0.5), 1) for i in range(len(categories))]
    chart.labels = [Label(x=x, text=c) for x, c in zip(xs, categories, strict=True)]
    for s in series:
        line = Line(series=s.name, colour=s.colour, paths=[], points=[])
        run: list[str] = []
        for i, value in enumerate(s.values):
            if value is None:
                if run:
                    line.paths.append(" ".join(run))
                run = []
                continue
            y = _y(chart, float(value), top)
            run.append(f"{xs[i]},{y}")
            line.points.append(
                Mark(
                    x=xs[i],
                    y=y,
                    width=0,
                    height=0,
                    value=value,
                    text=_text(value, chart.unit),
                    category=categories[i],
                    series=s.name,
                    colour=s.colour,
                )
            )
        if run:
            line.paths.append(" ".join(run))
        chart.lines.append(line)
    return chart


def _colour(series: list[Series]) -> None:
    for i, s in enumerate(series):
        if not s.colour:
            s.colour = PALETTE[i % len(PALETTE)]


# --- Drawing -----------------------------------------------------------------------------
# Numbers go into the SVG as Python writes them (never localised: "52.5", not "52,5").

_GRID = '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>'
_TICK = '<text x="{}" y="{}" dy="4" text-anchor="end" font-size="11" fill="#495057">{}</text>'
_LABEL = '<text x="{}" y="{}" dy="16" text-anchor="middle" font-size="11" fill="#212529">{}</text>'
_BAR = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} · {}: {}</title></rect>'
_POINT = '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} · {}: {}</title></circle>'
_SWATCH = (
    '<span class="me-3 text-nowrap"><svg width="12" height="12" aria-hidden="true" '
    'focusable="false"><rect width="12" height="12" fill="{}"/></svg> {}</span>'
)


def render(chart: Chart) -> SafeString:
    """The chart's <figure> (the SVG with its title, description and legend) and the
    table of its numbers."""
    key = chart.key
    parts = [
        format_html(
            '<figure class="mb-2" id="chart-{}">\n<h3 class="h6">{}</h3>\n'
            '<svg viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
            'aria-labelledby="chart-{}-title chart-{}-desc" class="overview-chart" '
            'font-family="inherit">\n'
            '  <title id="chart-{}-title">{}</title>\n  <desc id="chart-{}-desc">{}</desc>\n',
            key,
            chart.title,
            chart.width,
            chart.height,
            chart.title,
            key,
            key,
            key,
            chart.title,
            key,
            chart.description,
        ),
        format_html_join(
            "",
            _GRID + _TICK,
            (
                (chart.left, chart.plot_right, t.y, t.y, chart.left - 6, t.y, t.text)
                for t in chart.ticks
            ),
        ),
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6c757d"/>'
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#6c757d"/>',
            chart.left,
            chart.left,
            chart.top,
            chart.plot_bottom,
            chart.left,
            chart.plot_right,
            chart.plot_bottom,
            chart.plot_bottom,
        ),
        format_html_join(
            "", _LABEL, ((label.x, chart.plot_bottom, label.text) for label in chart.labels)
        ),
    ]
    if chart.y_label:
        parts.append(
            format_html(
                '<text transform="translate(12 {}) rotate(-90)" text-anchor="middle" '
                'font-size="11" fill="#495057">{}</text>',
                chart.top + 90,
                chart.y_label,
            )
        )
    parts.append(
        format_html_join(
            "",
            _BAR,
            (
                (b.x, b.y, b.width, b.height, b.colour, b.category, b.series, b.text)
                for b in chart.bars
                if b.value
            ),
        )
    )
    for line in chart.lines:
        parts.append(
            format_html_join(
                "",
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                ((points, line.colour) for points in line.paths),
            )
        )
        parts.append(
            format_html_join(
                "",
                _POINT,
                ((p.x, p.y, p.colour, p.category, p.series, p.text) for p in line.points),
            )
        )
    empty = (
        format_html("<span>{}</span>", gettext("Nothing to show for this period yet."))
        if chart.is_empty
        else ""
    )
    parts.append(
        format_html(
            '\n</svg>\n<figcaption class="small text-body-secondary">{}{}</figcaption>\n'
            "</figure>\n",
            format_html_join("", _SWATCH, ((s.colour, s.name) for s in chart.series)),
            empty,
        )
    )
    parts.append(
        format_html(
            '<div class="table-responsive"><table class="table table-sm small mb-3" '
            'id="table-{}">\n  <caption class="visually-hidden">{}</caption>\n'
            '  <thead><tr><th scope="col">{}</th>{}</tr></thead>\n  <tbody>{}</tbody>\n'
            "</table></div>",
            key,
            chart.title,
            chart.category_header,
            format_html_join(
                "", '<th scope="col" class="text-end">{}</th>', ((s.name,) for s in chart.series)
            ),
            format_html_join(
                "",
                '<tr><th scope="row" class="fw-normal">{}</th>{}</tr>',
                (
                    (
                        category,
                        format_html_join(
                            "", '<td class="text-end">{}</td>', ((v,) for v in values)
                        ),
                    )
                    for category, values in chart.rows
                ),
            ),
        )
    )
    return mark_safe("".join(parts))  # noqa: S308 - every part is format_html's output
