"""DOMAIN.md §6's worked examples as approved publications in the database (shared by the tests)."""

import datetime


def fill(make_publication, unit, n, *, outlet, kind="news", topic="", prefix="稿件", month=5):
    for i in range(n):
        make_publication(unit, title=f"{unit.name}{prefix}{outlet}{topic}{i}", outlet=outlet, kind=kind, topic=topic,
                         published_on=datetime.date(2011, month, 1 + i % 28))


def county_41(make_publication, unit):
    """41 approved municipal-or-higher news (3 in 陕西日报, 10 in 安康日报), 4 research → 4.1."""
    fill(make_publication, unit, 3, outlet="陕西日报")
    fill(make_publication, unit, 10, outlet="安康日报")
    fill(make_publication, unit, 28, outlet="局网站")
    fill(make_publication, unit, 4, outlet="内部报送", kind="research")


def affiliated_14(make_publication, unit):
    """14 news at ≥ municipal, 9 of them municipal (双创 2, 纪检监察 1), no research → 3.8."""
    fill(make_publication, unit, 5, outlet="陕西日报")
    fill(make_publication, unit, 2, outlet="局网站", topic="shuangchuang")
    fill(make_publication, unit, 1, outlet="安康市纪委网站", topic="discipline")
    fill(make_publication, unit, 6, outlet="局网站")


def section_9(make_publication, unit):
    """9 municipal news, 0 provincial, 1 research → missing 2 → 3.8."""
    fill(make_publication, unit, 9, outlet="局网站")
    fill(make_publication, unit, 1, outlet="内部报送", kind="research")


def county_60(make_publication, unit):
    """60 municipal-or-higher news, 25 in 安康日报, 4 research → bonus 20, capped → 5.2."""
    fill(make_publication, unit, 25, outlet="安康日报")
    fill(make_publication, unit, 35, outlet="局网站")
    fill(make_publication, unit, 4, outlet="内部报送", kind="research")
