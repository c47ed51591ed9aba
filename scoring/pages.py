"""The expensive, user-independent part of the dashboard and the bulletin, as HTML (cached by pagecache)."""

import json

from django.template.loader import render_to_string
from django.urls import reverse

from core.models import YearClose
from scoring import charts, pagecache, rules, services
from scoring.models import policy_for_year

MONTH_LABELS = [f"{m}月" for m in range(1, 13)]


def _score_charts(bulletin: services.Bulletin, year: int):
    """One horizontal bar chart of scores per unit kind, scaled to the year's highest possible score."""
    policy = policy_for_year(year)
    top = policy.base + policy.base * policy.bonus_cap_ratio
    return [
        (label, charts.hbar_chart(
            [(r.unit_name, r.shown_score, reverse("scoring:unit", args=[year, r.unit_id])) for r in rows],
            max_value=top, reference=policy.base, reference_label=f"基本分{rules.display_score(policy.base)}"))
        for label, rows in bulletin.by_kind
    ]


def dashboard_body(year: int, state: YearClose | None, *, previous_state=None, compare: bool = False) -> str:
    bulletin = services.bulletin_for_year(year=year, state=state)
    months = services.monthly_approved(year=year)
    changes = None
    if compare:  # 与上一年度对比 (issue 15): the previous year as its bulletin shows it (snapshot or estimate)
        previous = services.bulletin_for_year(year=year - 1, state=previous_state)
        changes = services.year_comparison(current=bulletin, previous=previous)
    return render_to_string("scoring/includes/dashboard_body.html", {
        "year": year, "bulletin": bulletin, "score_charts": _score_charts(bulletin, year),
        "trend": charts.column_chart(months, MONTH_LABELS), "approved_total": sum(months),
        "compare": compare, "changes": changes,
    })


def bulletin_body(year: int, state: YearClose | None) -> str:
    bulletin = services.bulletin_for_year(year=year, state=state)
    return render_to_string("scoring/includes/bulletin_body.html", {"year": year, "bulletin": bulletin})


def scores_body(year: int, state: YearClose | None) -> str:
    """Each unit's score as the bulletin shows it, as JSON: for blocks that name it beside something else (the
    bulletin's 工作落实情况 table), cached with the bulletin so that both always show the same figure."""
    bulletin = services.bulletin_for_year(year=year, state=state)
    return json.dumps({r.unit_id: str(r.shown_score) for r in bulletin.results})


RENDERERS = {"dashboard": dashboard_body, "bulletin": bulletin_body, "scores": scores_body}


def dashboard_compare_html(year: int, state: YearClose | None):
    """The dashboard with the previous year beside it. Kept as a closed year's page only when both years are
    closed (under a key naming both closes); otherwise under the scores version, which every write bumps."""
    previous_state = services.year_state(year - 1)
    previous_key = pagecache.closed_year_key(previous_state, "previous")
    return pagecache.year_page_html(
        year=year, state=state if previous_key else None, page=f"dashboard-vs-{previous_key or 'open'}",
        render=lambda: dashboard_body(year, state, previous_state=previous_state, compare=True))


def page_html(page: str, year: int, state: YearClose | None):
    """The cached body of `page` ("dashboard" or "bulletin") for `year` in its current `state`."""
    return pagecache.year_page_html(year=year, state=state, page=page, render=lambda: RENDERERS[page](year, state))


def unit_scores(year: int) -> dict[int, str]:
    """unit id → the score the bulletin of `year` shows (snapshot or estimate), from the page cache."""
    state = services.year_state(year)
    return {int(unit_id): score for unit_id, score in json.loads(page_html("scores", year, state)).items()}
