"""The expensive, user-independent part of the dashboard and the bulletin, as HTML (cached by pagecache)."""

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


def dashboard_body(year: int, state: YearClose | None) -> str:
    bulletin = services.bulletin_for_year(year=year, state=state)
    months = services.monthly_approved(year=year)
    return render_to_string("scoring/includes/dashboard_body.html", {
        "year": year, "bulletin": bulletin, "score_charts": _score_charts(bulletin, year),
        "trend": charts.column_chart(months, MONTH_LABELS), "approved_total": sum(months),
    })


def bulletin_body(year: int, state: YearClose | None) -> str:
    bulletin = services.bulletin_for_year(year=year, state=state)
    return render_to_string("scoring/includes/bulletin_body.html", {"year": year, "bulletin": bulletin})


RENDERERS = {"dashboard": dashboard_body, "bulletin": bulletin_body}


def page_html(page: str, year: int, state: YearClose | None):
    """The cached body of `page` ("dashboard" or "bulletin") for `year` in its current `state`."""
    return pagecache.year_page_html(year=year, state=state, page=page, render=lambda: RENDERERS[page](year, state))
