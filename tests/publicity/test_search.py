"""One search box (issue 15, item 3): substring search for Chinese, scoped like everything else."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from publicity import search_sql
from publicity.models import Outlet, Publication, Status, Unit
from publicity.search import publication_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(make_publication, hanbin, hanyin):
    """Alice's 汉滨区 and Bob's 汉阴县, over two years."""
    return {
        "spring": make_publication(hanbin, title="汉滨区举办春风行动专场招聘会", authors="王明、李娟",
                                   published_on=datetime.date(2011, 3, 5),
                                   url="http://www.akhb.gov.cn/news/2011/0305.html"),
        "spring_hanyin": make_publication(hanyin, title="汉阴县春风行动送岗位下乡", authors="张伟",
                                          outlet="陕西日报", published_on=datetime.date(2012, 3, 9),
                                          status=Status.SUBMITTED),
        "pension": make_publication(hanbin, title="城乡居民养老保险扩面工作综述", authors="欧阳明月",
                                    outlet="安康电视台", published_on=datetime.date(2012, 6, 1),
                                    status=Status.REJECTED),
    }


def titles(result) -> set[str]:
    return {p.manuscript.title for p in result.results}


@pytest.mark.parametrize(("query", "expected"), [
    ("春风行动", {"汉滨区举办春风行动专场招聘会", "汉阴县春风行动送岗位下乡"}),  # the middle of a title
    ("专场招聘", {"汉滨区举办春风行动专场招聘会"}),
    ("欧阳明月", {"城乡居民养老保险扩面工作综述"}),  # author
    ("陕西日报", {"汉阴县春风行动送岗位下乡"}),  # outlet
    ("汉阴县", {"汉阴县春风行动送岗位下乡"}),  # unit
    ("akhb.gov.cn/news", {"汉滨区举办春风行动专场招聘会"}),  # link
    ("AKHB.GOV", {"汉滨区举办春风行动专场招聘会"}),  # latin letters in any case
    ("春风行动 汉阴县", {"汉阴县春风行动送岗位下乡"}),  # every word must match
    ("春风行动　汉滨区", {"汉滨区举办春风行动专场招聘会"}),  # a full-width space separates too
    ("春风行动 张伟", {"汉阴县春风行动送岗位下乡"}),  # a long word from the index, a short one scanned
    ("不存在的标题", set()),
])
def test_a_reviewer_finds_any_record_across_years_and_units(rita, records, query, expected):
    assert titles(publication_search(user=rita, query=query)) == expected


def test_drafts_are_found_by_their_own_unit_only(rita, leo, alice, hank, bob, records, make_publication, hanbin):
    make_publication(hanbin, title="汉滨区尚未提交的草稿稿件", status=Status.DRAFT)
    for user in (rita, leo, bob):
        assert titles(publication_search(user=user, query="尚未提交的草稿")) == set()
    for user in (alice, hank):
        assert titles(publication_search(user=user, query="尚未提交的草稿")) == {"汉滨区尚未提交的草稿稿件"}


def test_a_leader_searches_every_unit(leo, records):
    assert len(titles(publication_search(user=leo, query="春风行动"))) == 2


@pytest.mark.parametrize("persona", ["alice", "hank"])
def test_officers_and_unit_heads_search_their_own_unit_only(request, records, persona):
    user = request.getfixturevalue(persona)
    assert titles(publication_search(user=user, query="春风行动")) == {"汉滨区举办春风行动专场招聘会"}
    assert titles(publication_search(user=user, query="汉阴县")) == set()
    assert titles(publication_search(user=user, query="张")) == set()


def test_bob_sees_his_unit_only(bob, records):
    assert titles(publication_search(user=bob, query="春风行动")) == {"汉阴县春风行动送岗位下乡"}


def test_short_words_of_a_reviewer_are_looked_up_in_one_year(rita, records):
    found = publication_search(user=rita, query="王明", default_year=2011)
    assert titles(found) == {"汉滨区举办春风行动专场招聘会"} and found.year == 2011
    assert "少于3个字" in found.note and "2011年度" in found.note
    assert titles(publication_search(user=rita, query="张伟", default_year=2011)) == set()
    assert titles(publication_search(user=rita, query="张伟", year=2012)) == {"汉阴县春风行动送岗位下乡"}


def test_short_words_of_an_officer_search_the_whole_unit_history(alice, records):
    found = publication_search(user=alice, query="欧阳", default_year=2011)
    assert titles(found) == {"城乡居民养老保险扩面工作综述"} and found.year is None and found.note == ""


@pytest.mark.parametrize("year", [None, 2012])
def test_a_reviewer_s_common_word_walks_the_records_newest_first(rita, records, make_publication, hanbin,
                                                                 monkeypatch, year):
    """Above FEW_MATCHES the records are walked along the date index; the results are the same."""
    from publicity import search

    monkeypatch.setattr(search, "FEW_MATCHES", 1)
    found = publication_search(user=rita, query="春风行动", year=year)
    expected = {"汉阴县春风行动送岗位下乡"} | (set() if year else {"汉滨区举办春风行动专场招聘会"})
    assert titles(found) == expected
    assert next(p.manuscript.title for p in search.search_page(found, 1)) == "汉阴县春风行动送岗位下乡"


@pytest.mark.parametrize("query", ['"', '春风"行动', "100%", "a_b", "\\", "'; DROP TABLE x; --", "*", "NEAR(a b)",
                                   "春风 OR 养老", "-春风"])
def test_odd_characters_are_searched_literally(rita, records, query):
    assert titles(publication_search(user=rita, query=query, default_year=2011)) == set()


def test_an_empty_query_finds_nothing(rita, records):
    assert list(publication_search(user=rita, query="   ").results) == []


def test_the_index_follows_every_change(rita, records, hanbin):
    spring = records["spring"]
    manuscript = spring.manuscript
    manuscript.title = "汉滨区举办就业援助月活动"
    manuscript.save()
    assert titles(publication_search(user=rita, query="就业援助月")) == {"汉滨区举办就业援助月活动"}
    assert "汉滨区举办就业援助月活动" not in titles(publication_search(user=rita, query="春风行动"))

    Publication.objects.filter(pk=spring.pk).update(url="http://example.org/changed-link")
    assert titles(publication_search(user=rita, query="changed-link")) == {"汉滨区举办就业援助月活动"}
    Publication.objects.filter(pk=spring.pk).update(title="转载时改过的标题：援助月见闻")  # 刊发标题
    assert titles(publication_search(user=rita, query="援助月见闻")) == {"汉滨区举办就业援助月活动"}
    Publication.objects.filter(pk=spring.pk).update(status=Status.APPROVED)  # other columns leave it alone

    outlet = Outlet.objects.get(name="安康电视台")
    outlet.name = "安康广播电视台"
    outlet.save()
    assert titles(publication_search(user=rita, query="安康广播电视台")) == {"城乡居民养老保险扩面工作综述"}

    Unit.objects.filter(pk=hanbin.pk).update(name="汉滨新区")
    assert len(titles(publication_search(user=rita, query="汉滨新区"))) == 2

    records["pension"].delete()
    assert titles(publication_search(user=rita, query="养老保险")) == set()


def test_bulk_created_records_are_indexed(rita, hanbin):
    from publicity.models import Manuscript

    manuscript = Manuscript.objects.create(unit=hanbin, title="批量导入的社保卡发放报道")
    Publication.objects.bulk_create([Publication(manuscript=manuscript, outlet=Outlet.objects.get(name="局网站"),
                                                 published_on=datetime.date(2011, 8, 1), status=Status.APPROVED)])
    assert titles(publication_search(user=rita, query="社保卡发放")) == {"批量导入的社保卡发放报道"}


def test_a_migration_that_loses_the_triggers_is_repaired(rita, records):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER publicity_search_publication_insert" + (
            " ON publicity_publication" if connection.vendor == "postgresql" else ""))
    assert search_sql.ensure(connection) is True
    assert set(search_sql.TRIGGERS[connection.vendor]) <= search_sql.triggers_present(connection)
    assert titles(publication_search(user=rita, query="春风行动")) == {"汉滨区举办春风行动专场招聘会",
                                                                   "汉阴县春风行动送岗位下乡"}
    assert search_sql.ensure(connection) is False


# --- the page ------------------------------------------------------------------------------------


def test_the_header_has_the_search_box(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'role="search"' in page and f'action="{reverse("search")}"' in page


def test_the_results_show_year_unit_outlet_status_and_link_to_the_record(client, rita, records):
    client.force_login(rita)
    page = client.get(reverse("search"), {"q": "春风行动"}).content.decode()
    spring, other = records["spring"], records["spring_hanyin"]
    assert f'href="{reverse("portal:record_detail", args=[spring.pk])}"' in page
    assert f'href="{reverse("portal:record_detail", args=[other.pk])}"' in page
    for text in ("2011", "2012", "汉滨区", "汉阴县", "安康日报", "陕西日报", "已通过", "待审核", "找到 2 条"):
        assert text in page
    assert page.index("汉阴县春风行动") < page.index("汉滨区举办春风行动")  # newest first


def test_results_are_paged(client, rita, make_publication, hanbin):
    for n in range(30):
        make_publication(hanbin, title=f"就业培训第{n}期", published_on=datetime.date(2011, 1, 1 + n))
    client.force_login(rita)
    first = client.get(reverse("search"), {"q": "就业培训"}).content.decode()
    assert "找到 30 条" in first and "第 1 / 2 页" in first and "就业培训第29期" in first
    second = client.get(reverse("search"), {"q": "就业培训", "page": "2"}).content.decode()
    assert "就业培训第0期" in second and "就业培训第29期" not in second


@pytest.mark.parametrize("params", [{"q": "春风", "year": "abc"}, {"q": "春风行动", "year": "1999"},
                                    {"q": "春风行动", "page": "x"}, {"q": "x" * 500}, {"year": "2011"}])
def test_bad_parameters_are_never_a_server_error(client, rita, records, params):
    client.force_login(rita)
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    if params.get("year") in ("abc", "1999"):
        assert "没有该年度" in response.content.decode()


def test_the_search_page_needs_few_queries(client, rita, records, make_publication, hanbin,
                                           django_assert_max_num_queries):
    for n in range(20):
        make_publication(hanbin, title=f"春风行动后续报道{n}")
    client.force_login(rita)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("search"), {"q": "春风行动"})
    assert "找到 22 条" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite rebuilds a table to alter it")
@pytest.mark.django_db(transaction=True)
def test_a_migration_that_rebuilds_a_table_keeps_the_index(reference_data, make_publication):
    """Django alters a column on SQLite by rebuilding the table (left in place, the triggers that name the table
    make the rename fail: "error in trigger publicity_search_publication_insert: no such table"); the triggers
    step aside during migrations and come back after them."""
    from publicity.models import Manuscript

    rita_user = __import__("tests.conftest", fromlist=["make_user"]).make_user(
        "rita", "审核员", "政策法规与信息化管理科")
    make_publication(Unit.objects.get(name="汉滨区"), title="改表之前录入的春风行动稿件")
    search_sql.drop_before_migrate(sender=None, plan=[("a migration", False)])
    with connection.schema_editor() as editor:
        editor._remake_table(Manuscript)
    search_sql.ensure_after_migrate(sender=None)
    assert set(search_sql.TRIGGERS["sqlite"]) <= search_sql.triggers_present(connection)
    make_publication(Unit.objects.get(name="汉阴县"), title="改表之后录入的春风行动稿件")
    assert titles(publication_search(user=rita_user, query="春风行动")) == {"改表之前录入的春风行动稿件",
                                                                        "改表之后录入的春风行动稿件"}
