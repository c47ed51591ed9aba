"""Issue 19 item 1: the import applies the review queue's rule — nobody approves a record of the own unit.

Rows of the importing reviewer's own unit enter as submitted, for another reviewer (chosen over refusing the
row, so that the bureau-wide table still imports in one go); the same for the command line given `--user`."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from exchange.services import ARTICLE_HEADERS, articles_import
from publicity import services
from publicity.models import Notification, Publication, Status
from tests.conftest import make_user
from tests.exchange.excel_files import xlsx_bytes

pytestmark = pytest.mark.django_db

OWN = "政策法规与信息化管理科"  # Rita's section


def table(*units):
    return xlsx_bytes([list(ARTICLE_HEADERS),
                       *[[unit, f"{unit}的稿件", "张三", "安康日报", "新闻", "", 800, "2011-05-03", "", "", ""]
                         for unit in units]])


def test_rows_of_the_importers_own_unit_enter_as_submitted_for_another_reviewer(rita):
    other = make_user("ruth", "审核员", "办公室", is_staff=True)
    result = articles_import(actor=rita, file=table(OWN, "汉滨区"), filename="a.xlsx")
    assert result.ok and result.created == 2
    own = Publication.objects.get(manuscript__unit__name=OWN)
    assert (own.status, own.reviewer, own.submitted_at is not None) == (Status.SUBMITTED, None, True)
    assert "不能由本人审核" in result.rows[0].note and OWN in result.rows[0].note
    assert Publication.objects.get(manuscript__unit__name="汉滨区").status == Status.APPROVED
    assert Notification.objects.filter(user=other, text__contains="待其他审核员审核").exists()
    with pytest.raises(services.WorkflowError, match="不能审核本单位"):
        services.publication_approve(publication=own, reviewer=rita)
    services.publication_approve(publication=own, reviewer=other)


def test_through_the_admin_preview_and_confirmation_too(client, rita):
    client.force_login(rita)
    response = client.post("/admin/publicity/publication/import/", {
        "import_file": SimpleUploadedFile("明细表.xlsx", table(OWN)), "format": "0", "resource": "0"})
    assert "不能由本人审核" in response.content.decode()
    form = response.context["confirm_form"]
    client.post("/admin/publicity/publication/process_import/", {n: form[n].value() for n in form.fields})
    publication = Publication.objects.get()
    assert publication.status == Status.SUBMITTED and publication.reviewer is None


def test_an_approved_record_of_the_own_unit_is_not_changed_by_its_reviewers_import(rita, make_publication):
    from publicity.models import Unit

    make_publication(Unit.objects.get(name=OWN), title=f"{OWN}的稿件", char_count=800)
    changed = xlsx_bytes([list(ARTICLE_HEADERS),
                          [OWN, f"{OWN}的稿件", "", "安康日报", "新闻", "", 1500, "2011-05-03", "", "", ""]])
    result = articles_import(actor=rita, file=changed, filename="a.xlsx")
    assert result.skipped == 1 and "不能由本人通过导入修改" in result.rows[0].note
    assert Publication.objects.get().char_count == 800


def test_the_command_applies_the_rule_to_its_acting_user(tmp_path, capsys, rita):
    path = tmp_path / "明细表.xlsx"
    path.write_bytes(table(OWN, "汉滨区"))
    call_command("import_articles", str(path), "--user", "rita", "--format", "json")
    output = json.loads(capsys.readouterr().out)
    assert output["new"] == 2
    assert dict(Publication.objects.values_list("manuscript__unit__name", "status")) == {
        OWN: Status.SUBMITTED, "汉滨区": Status.APPROVED}
