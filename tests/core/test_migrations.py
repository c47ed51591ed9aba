"""Issue 14: a database built before the restructuring migrates forward without losing anything.

The schema is taken back to the migrations main had before the models moved (AuditEvent and the quotas and
the reporting models in publicity, YearClose in scoring), rows are written through the models of that state,
and the database is migrated forward: every row is then read through the models' new homes, and the moved
models keep their content types (so their permissions and admin history).
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("publicity", "0005_manuscript_identity"), ("scoring", "0001_initial"), ("core", None),
          ("reporting", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_forward_with_its_data(django_user_model):
    old = migrate(BEFORE)
    Unit = old.get_model("publicity", "Unit")
    unit = Unit.objects.create(name="迁移测试县", kind="county")
    line = old.get_model("publicity", "QuotaLine").objects.create(
        code="L_TEST", label="迁移测试任务项", level_min="municipal", level_max="national", kinds=["news"])
    old.get_model("publicity", "Quota").objects.create(unit=unit, line=line, year=2011, count=40)
    old.get_model("publicity", "AuditEvent").objects.create(action="old.event", target_type="x", summary="迁移前",
                                                            unit=unit)
    old.get_model("scoring", "YearClose").objects.create(year=2010, state="closed", closed_on=datetime.date(2011, 1, 9))
    manuscript = old.get_model("publicity", "Manuscript").objects.create(unit=unit, title="迁移前的稿件",
                                                                         title_key="迁移前的稿件")
    outlet = old.get_model("publicity", "Outlet").objects.create(name="迁移测试报", normalized="迁移测试报",
                                                                 level="municipal", media_class="party_paper")
    publication = old.get_model("publicity", "Publication").objects.create(
        manuscript=manuscript, outlet=outlet, published_on=datetime.date(2011, 5, 3), status="approved")
    report = old.get_model("publicity", "PeriodReport").objects.create(
        unit=unit, period_kind="annual", period_start=datetime.date(2011, 1, 1),
        period_end=datetime.date(2011, 12, 31), due_on=datetime.date(2011, 12, 25),
        submitted_at=datetime.datetime(2011, 12, 20, tzinfo=datetime.UTC))
    report.publications.add(publication)
    old.get_model("publicity", "OfficerRoster").objects.create(unit=unit, year=2011, officer_name="王明", phone="1",
                                                               submitted_at=datetime.datetime(2011, 3, 1,
                                                                                              tzinfo=datetime.UTC))
    from django.contrib.contenttypes.models import ContentType  # its table is not part of this migration

    ContentType.objects.clear_cache()
    ContentType.objects.filter(app_label__in=["core", "scoring", "reporting"],
                               model__in=["quota", "auditevent"]).delete()
    quota_type = ContentType.objects.get_or_create(app_label="publicity", model="quota")[0]
    audit_type = ContentType.objects.get_or_create(app_label="publicity", model="auditevent")[0]

    migrate(latest())
    ContentType.objects.clear_cache()

    from core.models import AuditEvent, YearClose
    from reporting.models import OfficerRoster, PeriodReport
    from scoring.models import Quota

    quota = Quota.objects.select_related("line", "unit").get(unit__name="迁移测试县")
    assert (quota.line.code, quota.count, quota.year) == ("L_TEST", 40, 2011)
    assert AuditEvent.objects.get(action="old.event").unit.name == "迁移测试县"
    assert YearClose.objects.get(year=2010).state == "closed"
    assert [p.manuscript.title for p in PeriodReport.objects.get(unit__name="迁移测试县").publications.all()] == [
        "迁移前的稿件"]
    assert OfficerRoster.objects.get(unit__name="迁移测试县").officer_name == "王明"
    # The same content type rows, now under their new app labels.
    assert ContentType.objects.get(pk=quota_type.pk).app_label == "scoring"
    assert ContentType.objects.get(pk=audit_type.pk).app_label == "core"
    assert ContentType.objects.get_for_model(Quota).pk == quota_type.pk
