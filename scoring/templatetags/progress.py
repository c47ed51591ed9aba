"""Quota-line progress markup: {% progress_bar line %}, {% lines_progress lines %}, {% lines_text lines %}.

Built here rather than in an included template because a province's dashboard repeats it for 400 units
× 6 lines: as templates these cells took 90 of the page's 145 ms of rendering (bench/, 2026-11-27), as
code a few. Every text is escaped; the numbers are ints.
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _bar(line, label: str) -> str:
    short = " short" if line.deficit else ""
    return (f'<progress class="bar{short}" max="100" value="{line.percent}" '
            f'aria-label="{label}：已完成{line.have}篇，任务{line.count}篇">{line.percent}%</progress>')


@register.simple_tag
def progress_bar(line) -> SafeString:
    """One line's bar: have/count as a percentage, amber while the line falls short."""
    return mark_safe(_bar(line, escape(line.label)))


@register.simple_tag
def lines_progress(lines) -> SafeString:
    """Every line of a unit: label, bar, have/count and the shortfall (差N) in red."""
    items = []
    for line in lines:
        label = escape(line.label)
        deficit = f'<span class="deficit">差{line.deficit}</span>' if line.deficit else ""
        items.append(f'<li><span class="line-label">{label}</span>{_bar(line, label)}'
                     f'<span class="line-count">{line.have}/{line.count}{deficit}</span></li>')
    return mark_safe('<ul class="line-progress">' + ("".join(items) or "<li>本年度无任务</li>") + "</ul>")


@register.simple_tag
def lines_text(lines) -> str:
    """The bulletin's plain form: "市级及以上媒体新闻稿件 38/40；专题调研文章 4/4" (escaped by the template)."""
    return "；".join(f"{line.label} {line.have}/{line.count}" for line in lines)


@register.filter
def get_item(mapping, key):
    """{{ changes|get_item:result.unit_id }}: a dict entry in a template (None when missing or no dict)."""
    return mapping.get(key) if mapping else None
