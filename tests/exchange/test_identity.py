"""DOMAIN §10 (updated), issue 13 item 3: one manuscript is one manuscript everywhere."""

import pytest
from django.urls import reverse

from core.text import title_key
from exchange.services import ARTICLE_HEADERS, articles_import
from publicity import services
from publicity.models import Manuscript, Publication, Status
from rewards.services import rewards_for_year
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = list(ARTICLE_HEADERS)


def row(unit="汉滨区", title="就业招聘会", outlet="安康日报", date="2011-05-03", ref="", page="第2版", chars=800):
    return [unit, title, "张三", outlet, "新闻", page, chars, date, "", "", ref]


@pytest.mark.parametrize(("typed", "imported"), [
    ("汉滨区：就业（创业）工作，开局良好！", "汉滨区:就业(创业)工作,开局良好!"),
    ("“十二五”规划、解读", '"十二五"规划,解读'),
    ("《条例》学习 辅导", "\"条例\"学习辅导"),
    ("ＡＢＣ　招聘会", "abc招聘会"),
])
def test_the_title_key_treats_chinese_and_ascii_punctuation_spaces_and_width_as_one(typed, imported):
    assert title_key(typed) == title_key(imported)


def test_different_words_are_different_titles():
    assert title_key("就业招聘会") != title_key("就业招聘会（二）")


def test_rows_sharing_a_number_are_one_manuscript_even_when_retitled(rita):
    content = xlsx_bytes([HEADER, row(title="汉滨区就业招聘会成功举办", ref="HB-01"),
                          row(title="汉滨：招聘会送岗位千余个", outlet="陕西日报", ref="HB-01")])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert result.ok, [str(e) for e in result.errors]
    manuscript = Manuscript.objects.get()
    assert manuscript.title == "汉滨区就业招聘会成功举办"  # the first row's title
    titles = {p.outlet.name: (p.title, p.shown_title) for p in manuscript.publications.select_related("outlet")}
    assert titles == {"安康日报": ("", "汉滨区就业招聘会成功举办"),
                      "陕西日报": ("汉滨：招聘会送岗位千余个", "汉滨：招聘会送岗位千余个")}
    again = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_web_form_and_the_import_give_one_manuscript_paid_once(client, alice, rita):
    # Typed on the web form with Chinese punctuation, approved; then the same article arrives in the unit's
    # detail table with ASCII punctuation (and a reprint in another outlet).
    client.force_login(alice)
    client.post(reverse("portal:record_create"), {
        "title": "汉滨区：就业（创业）工作，开局良好", "authors": "张三", "kind": "news", "special_topic": "",
        "outlet": "安康日报", "published_on": "2011-05-03", "page": "第2版", "char_count": "800", "url": "",
        "submit": "1"})
    typed = Publication.objects.get()
    assert typed.manuscript.title == "汉滨区：就业（创业）工作，开局良好"  # stored as typed
    services.publication_approve(publication=typed, reviewer=rita)
    content = xlsx_bytes([HEADER, row(title="汉滨区:就业(创业)工作,开局良好"),
                          row(title="汉滨区:就业(创业)工作,开局良好", outlet="陕西日报", date="2011-06-01")])
    result = articles_import(actor=rita, file=content, filename="a.xlsx")
    assert (result.created, result.unchanged) == (1, 1), result.summary()
    assert Manuscript.objects.count() == 1
    paid = [m for m in rewards_for_year(year=2011).manuscripts if m.unit == "汉滨区"]
    assert len(paid) == 1 and paid[0].outlet == "陕西日报"  # paid once, at the higher tier (D7)


def test_an_imported_article_typed_again_on_the_form_joins_its_manuscript(client, alice, rita):
    articles_import(actor=rita, file=xlsx_bytes([HEADER, row(title="就业:新政(解读)")]), filename="a.xlsx")
    client.force_login(alice)
    response = client.post(reverse("portal:record_create"), {
        "title": "就业：新政（解读）", "authors": "张三", "kind": "news", "special_topic": "", "outlet": "陕西日报",
        "published_on": "2011-06-01", "page": "", "char_count": "", "url": "", "save": "1"}, follow=True)
    assert "本单位已有同名稿件" in response.content.decode()
    assert Manuscript.objects.count() == 1 and Publication.objects.count() == 2


def test_the_duplicate_check_compares_titles_by_the_same_key(alice, hanyin, make_publication):
    other = make_publication(hanyin, title="汉阴县：扶贫（搬迁）纪实", url="")
    draft = Publication(manuscript=Manuscript(unit=hanyin, title="汉阴县:扶贫(搬迁)纪实"), outlet=other.outlet,
                        published_on=other.published_on)
    found = services.publication_duplicates_map(publications=[draft])[None]
    assert [(d.publication.pk, d.reasons) for d in found] == [(other.pk, [services.SAME_IDENTITY])]


def test_an_export_writes_the_title_each_publication_appeared_under_and_reimports_unchanged(rita):
    from exchange.services import articles_export

    content = xlsx_bytes([HEADER, row(title="原标题", ref="X-1"),
                          row(title="转载时的新标题", outlet="陕西日报", ref="X-1")])
    assert articles_import(actor=rita, file=content, filename="a.xlsx").ok
    exported = articles_export(publications=Publication.objects.all(), actor=rita).to_bytes()
    again = articles_import(actor=rita, file=exported, filename="导出.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert set(Publication.objects.values_list("title", flat=True)) == {"", "转载时的新标题"}
    assert Publication.objects.filter(status=Status.APPROVED).count() == 2
