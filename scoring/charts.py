"""Geometry of the server-rendered SVG charts (no JavaScript, no CDN: the bureau's network is isolated).

Pure functions: numbers in, coordinates out; the templates draw the shapes.
"""

from dataclasses import dataclass
from decimal import Decimal

LABEL_WIDTH = 190  # room for a long unit name such as 就业促进与职业能力建设科
BAR_AREA = 330
ROW = 24
BAR_HEIGHT = 16


@dataclass(frozen=True)
class HBar:
    label: str
    value_text: str
    y: int
    text_y: int
    width: int
    href: str = ""


@dataclass(frozen=True)
class HBarChart:
    bars: list[HBar]
    width: int
    height: int
    bar_x: int
    reference_x: int | None  # a marker line (the base score) or None
    reference_label: str


def hbar_chart(items: list[tuple[str, Decimal, str]], *, max_value: Decimal, reference: Decimal | None = None,
               reference_label: str = "") -> HBarChart:
    """Horizontal bars, one per (label, value, link), scaled to max_value."""
    scale = max_value if max_value > 0 else Decimal(1)
    bars = []
    for i, (label, value, href) in enumerate(items):
        width = int(BAR_AREA * min(value, scale) / scale)
        bars.append(HBar(label=label, value_text=f"{value}", y=i * ROW + 4, text_y=i * ROW + 4 + BAR_HEIGHT - 3,
                         width=width, href=href))
    reference_x = None
    if reference is not None and 0 < reference <= scale:
        reference_x = LABEL_WIDTH + int(BAR_AREA * reference / scale)
    return HBarChart(bars=bars, width=LABEL_WIDTH + BAR_AREA + 50, height=len(items) * ROW + 24, bar_x=LABEL_WIDTH,
                     reference_x=reference_x, reference_label=reference_label)


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: int
    y: int
    height: int
    label_x: int


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    width: int
    height: int
    baseline: int
    line_points: str  # the trend as an SVG polyline


def column_chart(values: list, labels: list[str], *, plot_height: int = 160, slot: int = 46,
                 top=None) -> ColumnChart:
    """Columns of values (ints, or Decimals such as scores) scaled to `top` (default: the largest value)."""
    top = top if top else max([*values, 1])
    baseline = plot_height + 20
    columns = []
    points = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        height = int(plot_height * value / top)
        x = 10 + i * slot
        columns.append(Column(label=label, value=value, x=x + 8, y=baseline - height, height=height,
                              label_x=x + slot // 2))
        points.append(f"{x + slot // 2},{baseline - height}")
    return ColumnChart(columns=columns, width=20 + slot * len(values), height=baseline + 24, baseline=baseline,
                       line_points=" ".join(points))
