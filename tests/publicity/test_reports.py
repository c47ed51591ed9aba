"""D10: periodic reports bundle the period's publications; nil and late reports; roster; compliance; reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import AuditEvent
from publicity.models import Status, Unit
from reporting import deadlines
from reporting.models import OfficerRoster, PeriodReport, ReminderLog
from reporting.reports import compliance_table, reminders_send, report_submit, roster_submit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def office(db):
    return Unit.objects.get(name="办公室")


@pytest.fixture
def olga(office):
    """Olga is the officer of the section 办公室 (monthly reports)."""
    return make_user("olga", "信息宣传员", "办公室", email="olga@example.com")


def test_a_county_report_bundles_the_years_publications_but_not_rejected_or_drafts(alice, hanbin, hanyin,
                                                                                    make_publication):
    kept = [make_publication(hanbin, title="一", published_on=D(2011, 3, 1)),
            make_publication(hanbin, title="二", published_on=D(2011, 11, 30), status=Status.SUBMITTED)]
    make_publication(hanbin, title="退回的", status=Status.REJECTED)
    make_publication(hanbin, title="草稿", status=Status.DRAFT)
    make_publication(hanbin, title="去年的", published_on=D(2010, 12, 31))
    make_publication(hanyin, title="别的单位")
    report = report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    assert set(report.publications.all()) == set(kept)
    assert (report.is_late, report.is_nil, report.due_on) == (False, False, D(2011, 12, 25))
    assert AuditEvent.objects.filter(action="report.submit", unit=hanbin).exists()


def test_a_section_reports_the_previous_month(olga, office, make_publication):
    january = make_publication(office, title="一月", published_on=D(2011, 1, 31))
    make_publication(office, title="二月", published_on=D(2011, 2, 1))
    report = report_submit(unit=office, period=deadlines.monthly_period(2011, 1), officer=olga, today=D(2011, 2, 5))
    assert list(report.publications.all()) == [january] and not report.is_late


def test_a_period_without_publications_is_a_nil_report(alice, hanbin):
    report = report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 1))
    assert report.is_nil and report.publications.count() == 0


def test_a_late_report_is_accepted_and_marked_late(olga, office):
    report = report_submit(unit=office, period=deadlines.monthly_period(2011, 12), officer=olga,
                           today=D(2012, 1, 6))
    assert report.is_late and report.due_on == D(2012, 1, 5)


def test_a_period_is_reported_once(alice, hanbin):
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 20))
    with pytest.raises(ValidationError, match="不能重复报送"):
        report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 21))


def test_a_county_cannot_file_a_monthly_report_nor_a_year_before_it_opens(alice, hanbin):
    with pytest.raises(ValidationError, match="应报送年报"):
        report_submit(unit=hanbin, period=deadlines.monthly_period(2011, 1), officer=alice, today=D(2011, 2, 2))
    with pytest.raises(ValidationError, match="起开放"):
        report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 11, 30))
    assert not PeriodReport.objects.exists()


def test_bob_cannot_submit_for_hanbin(bob, hanbin, rita):
    for user in (bob, rita):
        with pytest.raises(PermissionDenied):
            report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=user, today=D(2011, 12, 20))
        with pytest.raises(PermissionDenied):
            roster_submit(unit=hanbin, year=2011, officer_name="鲍勃", phone="1", officer=user, today=D(2011, 3, 1))
    assert not PeriodReport.objects.exists() and not OfficerRoster.objects.exists()


def test_the_roster_is_late_after_11_march_and_a_correction_keeps_the_first_filing(alice, hanbin):
    roster = roster_submit(unit=hanbin, year=2011, officer_name="王明", phone="0915-1234567", officer=alice,
                           today=D(2011, 3, 12))
    assert roster.is_late
    roster_submit(unit=hanbin, year=2011, officer_name="李娟", phone="0915-7654321", officer=alice,
                  today=D(2011, 4, 1))
    roster = OfficerRoster.objects.get()
    assert (roster.officer_name, roster.is_late) == ("李娟", True)
    assert AuditEvent.objects.filter(action="roster.submit").count() == 2


def test_compliance_shows_on_time_late_and_missing_per_unit_and_period(alice, olga, hanbin, office):
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 26))
    report_submit(unit=office, period=deadlines.monthly_period(2011, 1), officer=olga, today=D(2011, 2, 3))
    roster_submit(unit=office, year=2011, officer_name="奥尔加", phone="1", officer=olga, today=D(2011, 3, 1))
    table = compliance_table(year=2011, today=D(2011, 3, 20))
    rows = {row.unit.name: row for rows in table.values() for row in rows}
    assert [c.state for c in rows["办公室"].cells[:3]] == [deadlines.ON_TIME, deadlines.MISSING, deadlines.PENDING]
    assert rows["办公室"].roster.state == deadlines.ON_TIME
    assert rows["汉阴县"].roster.state == deadlines.MISSING
    assert rows["汉滨区"].cells[0].state == deadlines.LATE
    assert compliance_table(year=2011, today=D(2011, 12, 26))["county"][1].cells[0].state == deadlines.MISSING


@pytest.mark.parametrize("reports", [0, 8])
def test_compliance_takes_a_bounded_number_of_queries(olga, office, reports, django_assert_max_num_queries):
    for month in range(1, reports + 1):
        report_submit(unit=office, period=deadlines.monthly_period(2011, month), officer=olga, today=D(2011, 12, 1))
    with django_assert_max_num_queries(3):
        compliance_table(year=2011, today=D(2011, 12, 1))


def test_reminders_go_to_officers_with_a_report_due_within_three_days_or_overdue(olga, alice, bob, office,
                                                                                  settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report_submit(unit=office, period=deadlines.monthly_period(2010, 12), officer=olga, today=D(2011, 1, 3))
    roster_submit(unit=office, year=2011, officer_name="奥尔加", phone="1", officer=olga, today=D(2011, 1, 3))
    sent = reminders_send(today=D(2011, 2, 2))
    assert sorted(log.unit.name for log in sent) == ["办公室", "汉滨区"]  # 汉阴县: Bob has no e-mail address
    message = next(m for m in mail.outbox if m.to == ["olga@example.com"])
    assert "2011年1月月报：截止2011年2月5日（即将到期）" in message.body
    assert "2010年12月月报" not in message.body and "名单" not in message.body  # both filed
    message = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert "2010年度年报：截止2010年12月25日（已逾期）" in message.body and "2011年度" not in message.body


def test_reminders_name_overdue_reports_and_the_roster_and_skip_what_is_reported(alice, hanbin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders_send(today=D(2011, 12, 27))
    assert "2011年度年报" in mail.outbox[0].body and "已逾期" in mail.outbox[0].body
    assert "2011年信息宣传员名单" not in mail.outbox[0].body  # more than 90 days overdue
    report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice, today=D(2011, 12, 27))
    assert reminders_send(today=D(2011, 12, 28)) == []


def test_send_reminders_is_idempotent_per_day(alice, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders", "--today", "2011-12-23")
    call_command("send_reminders", "--today", "2011-12-23")
    assert len(mail.outbox) == 1 and ReminderLog.objects.count() == 1
    assert "共发送 1 封提醒邮件" in capsys.readouterr().out
    call_command("send_reminders", "--today", "2011-12-24")
    assert len(mail.outbox) == 2


def test_send_reminders_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("send_reminders", "--today", "2011/12/23")


def test_a_failed_mail_leaves_no_log_so_the_next_run_tries_again(alice, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("reporting.reports.send_mail", broken)
    with pytest.raises(OSError):
        reminders_send(today=D(2011, 12, 23))
    assert not ReminderLog.objects.exists()
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert len(reminders_send(today=D(2011, 12, 23))) == 1


@pytest.mark.parametrize("count", [2, 20])
def test_report_submit_takes_a_bounded_number_of_queries(alice, hanbin, make_publication, count,
                                                         django_assert_max_num_queries):
    for i in range(count):
        make_publication(hanbin, title=f"稿件{i}", published_on=D(2011, 1 + i % 12, 1))
    with django_assert_max_num_queries(12):
        report = report_submit(unit=hanbin, period=deadlines.annual_period(2011), officer=alice,
                               today=D(2011, 12, 20))
    assert report.publications.count() == count


@pytest.mark.parametrize("units", [1, 10])
def test_reminders_take_a_bounded_number_of_queries(units, settings, django_assert_max_num_queries):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for unit in Unit.objects.filter(kind="county")[:units]:
        make_user(f"officer{unit.pk}", "信息宣传员", unit.name, email=f"o{unit.pk}@example.com")
    # Reads up front (reports, rosters, logs, officers; the duties of DOMAIN §11: settings, closed years and the
    # year's five tables of duties), then writes per e-mail.
    with django_assert_max_num_queries(12 + 4 * units):
        assert len(reminders_send(today=D(2011, 12, 23))) == units
