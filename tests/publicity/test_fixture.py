"""The Ankang 2011 reference data holds what DOMAIN.md §2, §3 and §5 name."""

import pytest

from publicity.models import KeyTopic, Outlet, Quota, QuotaLine, Unit

pytestmark = pytest.mark.django_db

# DOMAIN.md §3, row by row: outlet names, level, class.
OUTLETS_OF_DOMAIN = [
    (["人民日报"], "national", "party_paper"),
    (["中央电视台"], "national", "tv"),
    (["中国组织人事报", "中国劳动保障报", "中国人才"], "national", "industry_press"),
    (["人民网", "新华网", "人社部网站", "国家公务员局网站"], "national", "website"),
    (["搜狐", "腾讯", "新浪"], "national", "portal"),
    (["陕西日报"], "provincial", "party_paper"),
    (["当代陕西", "陕西工作交流"], "provincial", "party_periodical"),
    (["华商报", "三秦都市报", "阳光报"], "provincial", "commercial_paper"),
    (["陕西电视台"], "provincial", "tv"),
    (["省人社厅简报", "省公务员局简报"], "provincial", "briefing"),
    (["陕西城乡劳动就业"], "provincial", "industry_press"),
    (["陕西省政府网站", "陕西省人社厅网站", "陕西省公务员局网站"], "provincial", "website"),
    (["安康日报"], "municipal", "party_paper"),
    (["安康经济"], "municipal", "party_periodical"),
    (["安康电视台"], "municipal", "tv"),
    (["安康广播电台"], "municipal", "radio"),
    (["安康广播电视报"], "municipal", "other"),
    (["市委简报", "市政府简报", "双创简报", "绿化简报", "防汛救灾简报"], "municipal", "briefing"),
    (["安康市政府网站", "安康市纪委网站", "安康市双创办网站", "局网站"], "municipal", "website"),
    (["内部报送"], "internal", "other"),
]


@pytest.mark.parametrize(("names", "level", "media_class"), OUTLETS_OF_DOMAIN)
def test_every_outlet_of_the_notice_is_there_with_level_and_class(names, level, media_class):
    for name in names:
        outlet = Outlet.objects.get(name=name)
        assert (outlet.level, outlet.media_class) == (level, media_class), name


@pytest.mark.parametrize(("typed", "outlet"), [
    ("《人民日报》", "人民日报"),
    ("《 陕西日报 》", "陕西日报"),
    ("央视", "中央电视台"),
    ("安康市人社局网站", "局网站"),
    ("安康市人力资源和社会保障局网站", "局网站"),
    ("人社部", "人社部网站"),
    ("陕西省人民政府网站", "陕西省政府网站"),
    ("省厅简报", "省人社厅简报"),
    ("《陕西城乡劳动就业》报", "陕西城乡劳动就业"),
    ("搜狐网", "搜狐"),
    ("陕西省人力资源和社会保障厅网站", "陕西省人社厅网站"),
])
def test_outlets_are_found_by_the_names_clerks_type(typed, outlet):
    from core.text import normalize_name

    assert Outlet.objects.lookup_table()[normalize_name(typed)].name == outlet


def test_the_ten_counties_and_the_named_units_are_there():
    counties = set(Unit.objects.filter(kind="county").values_list("name", flat=True))
    assert counties == set("汉滨区 汉阴县 石泉县 宁陕县 紫阳县 岚皋县 平利县 镇坪县 旬阳县 白河县".split())
    assert Unit.objects.get(name="政策法规与信息化管理科").kind == "section"
    assert Unit.objects.get(name="市技工学校").kind == "affiliated"


# DOMAIN.md §5: code → (county, affiliated, section) defaults for 2011.
DEFAULTS_2011 = {
    "L_MUN_UP": (40, 15, None),
    "L_MUN": (None, 10, 5),
    "L_SC": (None, 2, None),
    "L_JJ": (None, 2, None),
    "L_PROV_UP": (None, None, 2),
    "L_RES": (4, 1, 1),
}


def test_the_six_quota_lines_have_the_scopes_of_the_notice():
    lines = {line.code: line for line in QuotaLine.objects.all()}
    assert set(lines) == set(DEFAULTS_2011)
    assert lines["L_MUN_UP"].scope.holds(level="national", kind="info", topic="")
    assert not lines["L_MUN_UP"].scope.holds(level="county", kind="news", topic="")
    assert not lines["L_MUN"].scope.holds(level="provincial", kind="news", topic="")
    assert lines["L_SC"].scope.holds(level="municipal", kind="news", topic="shuangchuang")
    assert not lines["L_SC"].scope.holds(level="municipal", kind="news", topic="discipline")
    assert lines["L_PROV_UP"].scope.holds(level="provincial", kind="experience", topic="")
    assert lines["L_RES"].scope.holds(level="internal", kind="research", topic="")
    assert not lines["L_RES"].scope.holds(level="municipal", kind="news", topic="")


def test_every_unit_has_the_2011_default_counts_of_its_kind():
    column = {"county": 0, "affiliated": 1, "section": 2}
    quotas = {(q.unit_id, q.line.code): q.count for q in Quota.objects.for_year(2011)}
    for unit in Unit.objects.all():
        for code, defaults in DEFAULTS_2011.items():
            assert quotas.get((unit.pk, code)) == defaults[column[unit.kind]], (unit.name, code)


def test_the_seven_key_topics_of_the_notice_are_there():
    assert list(KeyTopic.objects.values_list("name", flat=True)) == [
        "重大决策部署", "社会保险扩面", "就业创业与农村居民进城落户", "先进典型", "调查研究", "经验做法", "依法行政"]
