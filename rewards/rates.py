"""Reward rates (奖励标准) — notice §6, DOMAIN.md §7.

Pure rules, no django: which rate a publication earns (D6), the highest tier of a manuscript and
the top-up for a later higher-tier reprint (D7), and the split among authors (D8).
Money is ``Decimal`` yuan with two places (to the fen).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from types import MappingProxyType

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

# Rate categories of a rate sheet (D6).
CATEGORIES = ("news", "feature", "research", "any")
CATEGORY_LABELS = {"news": "新闻/信息", "feature": "专题", "research": "调研文章", "any": "各类稿件"}

KINDS = ("news", "info", "feature", "experience", "research")
LEVELS = ("internal", "county", "municipal", "provincial", "national")

# D6: "news" rates apply to news and info (the notice pays 市委、市政府简报 "信息稿件" at the news
# rate); experience (会议经验交流材料) has no category of its own and falls back to the news rate.
KIND_CATEGORY: Mapping[str, str | None] = MappingProxyType(
    {"news": "news", "info": "news", "feature": "feature", "experience": None, "research": "research"}
)

UNKNOWN_CATEGORY_MESSAGE = "unknown rate category {category!r}; expected one of {expected}"
NEGATIVE_RATE_MESSAGE = "rate for {category!r} must not be negative: {amount}"
OUTLET_IN_TWO_TIERS_MESSAGE = "outlet {outlet!r} is in two tiers: {first!r} and {second!r}"
UNKNOWN_KIND_MESSAGE = "unknown manuscript kind {kind!r}; expected one of {expected}"
UNKNOWN_LEVEL_MESSAGE = "unknown outlet level {level!r}; expected one of {expected}"
BAD_AMOUNT_MESSAGE = "amount must be a non-negative number of yuan to the fen, got {amount}"


def _yuan(amount: Decimal | int | str) -> Decimal:
    return Decimal(amount).quantize(FEN)


@dataclass(frozen=True)
class HeadlineRule:
    """头版头条 rate: needs placement front_headline AND char_count >= min_chars."""

    amount: Decimal
    min_chars: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _yuan(self.amount))


@dataclass(frozen=True)
class Tier:
    """Outlets sharing the same ordinary rates.

    The notice lists outlets "等" (and the like), so a reviewer can add an outlet to a tier (D6).
    """

    name: str
    outlets: frozenset[str]
    rates: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        for category, amount in self.rates.items():
            if category not in CATEGORIES:
                raise ValueError(UNKNOWN_CATEGORY_MESSAGE.format(category=category, expected=CATEGORIES))
            if Decimal(amount) < 0:
                raise ValueError(NEGATIVE_RATE_MESSAGE.format(category=category, amount=amount))
        object.__setattr__(self, "outlets", frozenset(self.outlets))
        object.__setattr__(self, "rates", MappingProxyType({c: _yuan(a) for c, a in self.rates.items()}))

    def ordinary_rate(self, kind: str) -> Decimal:
        """D6: the kind's own category, else the tier's "any" rate, else its news rate, else 0."""
        own = KIND_CATEGORY[kind]
        for category in (own, "any", "news"):
            if category is not None and category in self.rates:
                return self.rates[category]
        return ZERO


@dataclass(frozen=True)
class RateSheet:
    tiers: tuple[Tier, ...]
    headlines: Mapping[str, HeadlineRule]  # outlet key -> headline rule

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for tier in self.tiers:
            for outlet in tier.outlets:
                if outlet in seen:
                    raise ValueError(
                        OUTLET_IN_TWO_TIERS_MESSAGE.format(outlet=outlet, first=seen[outlet], second=tier.name)
                    )
                seen[outlet] = tier.name
        object.__setattr__(self, "tiers", tuple(self.tiers))
        object.__setattr__(self, "headlines", MappingProxyType(dict(self.headlines)))

    def tier_of(self, outlet: str) -> Tier | None:
        return next((tier for tier in self.tiers if outlet in tier.outlets), None)

    def rate_for(
        self, *, outlet: str, level: str, kind: str, front_headline: bool, char_count: int | None
    ) -> Decimal:
        """What one publication would earn on its own (D6)."""
        if kind not in KIND_CATEGORY:
            raise ValueError(UNKNOWN_KIND_MESSAGE.format(kind=kind, expected=KINDS))
        if level not in LEVELS:
            raise ValueError(UNKNOWN_LEVEL_MESSAGE.format(level=level, expected=LEVELS))
        # D6: outlets of level internal (内部报送, not published) pay nothing.
        if level == "internal":
            return ZERO
        tier = self.tier_of(outlet)
        rate = tier.ordinary_rate(kind) if tier is not None else ZERO
        # D6: a 头版头条 rate needs the placement and the character count ("800字以上"); without a
        # known count the ordinary rate applies. It replaces the ordinary rate (max, to be safe).
        rule = self.headlines.get(outlet)
        if rule is not None and front_headline and char_count is not None and char_count >= rule.min_chars:
            rate = max(rate, rule.amount)
        return rate


@dataclass(frozen=True)
class Pub:
    """One approved publication of a manuscript."""

    outlet: str
    level: str
    kind: str
    front_headline: bool
    char_count: int | None
    year: int


@dataclass(frozen=True)
class Best:
    amount: Decimal
    outlet: str | None  # outlet of the best publication (None when nothing pays)


def best_rate(sheet: RateSheet, pubs: Iterable[Pub], *, up_to_year: int) -> Best:
    """D7 "一稿多投的稿件，以发表的最高等次进行奖励": the highest rate among pubs up to the year.

    Ties go to the earliest publication year, then to the order given.
    """
    best = Best(ZERO, None)
    best_year: int | None = None
    for pub in pubs:
        if pub.year > up_to_year:
            continue
        amount = sheet.rate_for(
            outlet=pub.outlet,
            level=pub.level,
            kind=pub.kind,
            front_headline=pub.front_headline,
            char_count=pub.char_count,
        )
        if amount <= 0:
            continue
        if amount > best.amount or (amount == best.amount and best_year is not None and pub.year < best_year):
            best, best_year = Best(amount, pub.outlet), pub.year
    return best


def reward_for_year(sheet: RateSheet, pubs: Iterable[Pub], *, year: int) -> Best:
    """D7 补差: the best rate up to the end of the year minus the best up to the end of the year before.

    A higher-tier reprint in a later year pays only the difference; a lower one pays nothing.
    The outlet is the best outlet up to the year (also when the year itself adds nothing).
    """
    pubs = tuple(pubs)
    now = best_rate(sheet, pubs, up_to_year=year)
    before = best_rate(sheet, pubs, up_to_year=year - 1)
    return Best(max(ZERO, now.amount - before.amount), now.outlet)


def split_among(amount: Decimal, authors: Sequence[str], *, unit: str) -> list[tuple[str, Decimal]]:
    """D8: equal shares to the fen (rounded down), the remainder to the first author.

    With no named author the whole amount goes to the unit (集体).
    """
    amount = Decimal(amount)
    if amount < 0 or amount != amount.quantize(FEN):
        raise ValueError(BAD_AMOUNT_MESSAGE.format(amount=amount))
    amount = amount.quantize(FEN)
    if not authors:
        return [(unit, amount)]
    share = (amount / len(authors)).quantize(FEN, rounding=ROUND_DOWN)
    remainder = amount - share * len(authors)
    first, *rest = authors
    return [(first, share + remainder)] + [(name, share) for name in rest]


def unpaid(due: Decimal, already_paid: Decimal) -> Decimal:
    """D7: confirmed payout batches never change; a later batch pays only what they have not."""
    return max(ZERO, _yuan(due) - _yuan(already_paid))


# --- The bureau's 2011 sheet: notice §6 "具体奖励标准为" (DOMAIN.md §7) -------------------------

# (一) "在《人民日报》头版头条发表800字以上文稿的奖励5000元，在《陕西日报》头版头条发表800字以上
# 文稿的奖励1500元，在《安康日报》头版头条发表1000字以上文稿的奖励500元"
PEOPLES_DAILY_HEADLINE = HeadlineRule(amount=Decimal("5000"), min_chars=800)
SHAANXI_DAILY_HEADLINE = HeadlineRule(amount=Decimal("1500"), min_chars=800)
ANKANG_DAILY_HEADLINE = HeadlineRule(amount=Decimal("500"), min_chars=1000)


def _tier(name: str, outlets: Iterable[str], **rates: str) -> Tier:
    return Tier(name=name, outlets=frozenset(outlets), rates={c: Decimal(a) for c, a in rates.items()})


BUREAU_2011 = RateSheet(
    tiers=(
        # (一) 党报党刊党台
        # "在《人民日报》其它版面发表稿件奖励500元/篇"
        _tier("人民日报", ["人民日报"], any="500"),
        # "在中央电视台播发专题或新闻2000元/条"
        _tier("中央电视台", ["中央电视台"], feature="2000", news="2000"),
        # "在《陕西日报》、《当代陕西》、《陕西工作交流》、《安康经济》、《华商报》发表调研文章200元/篇，
        # 发表新闻稿件100元/篇"
        _tier(
            "省级党报党刊",
            ["陕西日报", "当代陕西", "陕西工作交流", "安康经济", "华商报"],
            research="200",
            news="100",
        ),
        # "在陕西电视台播发专题300元/条，播发新闻200元/条"
        _tier("陕西电视台", ["陕西电视台"], feature="300", news="200"),
        # "在市委、市政府简报发表信息稿件50元/条"
        _tier("市委市政府简报", ["市委简报", "市政府简报"], news="50"),
        # "在《安康日报》发表调研文章100元/篇，发表新闻稿件20元/篇"
        _tier("安康日报", ["安康日报"], research="100", news="20"),
        # "在安康电视台播发专题100元/条，播发新闻20元/条"
        _tier("安康电视台", ["安康电视台"], feature="100", news="20"),
        # "在安康广播电台播发新闻20元/篇"
        _tier("安康广播电台", ["安康广播电台"], news="20"),
        # "在市《双创简报》、《绿化简报》、《防汛救灾简报》发表稿件20元/篇"
        _tier("市专项简报", ["双创简报", "绿化简报", "防汛救灾简报"], any="20"),
        # (二) 行业系统报刊简报
        # "在《中国组织人事报》、《中国劳动保障报》、《中国人才》等杂志发表调研文章300元/篇，
        # 发表新闻稿件200元/篇"
        _tier("中央行业报刊", ["中国组织人事报", "中国劳动保障报", "中国人才"], research="300", news="200"),
        # "在省厅简报、省公务员局简报以及《陕西城乡劳动就业》报发表新闻稿件30元/篇"
        _tier("省级行业简报", ["省人社厅简报", "省公务员局简报", "陕西城乡劳动就业"], news="30"),
        # (三) 网站
        # "在人民网、新华网、人社部网站、国家公务员局网站、陕西省政府网站发表新闻稿件100元/篇"
        _tier(
            "中央及省政府网站",
            ["人民网", "新华网", "人社部网站", "国家公务员局网站", "陕西省政府网站"],
            news="100",
        ),
        # "在陕西省人力资源和社会保障厅网站、陕西省公务员局网站发表新闻稿件30元/篇"
        _tier("省级部门网站", ["陕西省人社厅网站", "陕西省公务员局网站"], news="30"),
        # "在安康市政府网站、安康市纪委网站、安康市双创办网站和局网站发表新闻稿件10元/篇"
        _tier("市级网站", ["安康市政府网站", "安康市纪委网站", "安康市双创办网站", "局网站"], news="10"),
        # (四) 其它媒体
        # "在《三秦都市报》、《阳光报》等媒体发表新闻稿件50元/篇"
        _tier("都市报", ["三秦都市报", "阳光报"], news="50"),
        # "在搜狐、腾讯、新浪等网站发表新闻稿件50元/篇"
        _tier("商业门户网站", ["搜狐", "腾讯", "新浪"], news="50"),
        # "在《安康广播电视报》发表新闻稿件20元/篇"
        _tier("安康广播电视报", ["安康广播电视报"], news="20"),
    ),
    headlines={
        "人民日报": PEOPLES_DAILY_HEADLINE,
        "陕西日报": SHAANXI_DAILY_HEADLINE,
        "安康日报": ANKANG_DAILY_HEADLINE,
    },
)
