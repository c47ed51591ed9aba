"""Issue 8 item 7: every officer/reviewer form, fuzzed through the test client with hypothesis.

Whatever is posted, the answer is never a server error (the test client re-raises one), and an
answer that is not a redirect (the form was refused) leaves every table as it was.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import AuditEvent, YearClose
from publicity.models import Manuscript, ProofFile, Publication, ResearchTopic, Status
from reporting.models import (
    PeriodReport,
    ResponsiblePerson,
    TrainingAttendance,
    TrainingCourse,
    UnitLeader,
    UnitPlan,
    WebsiteContribution,
    WebsiteStatus,
)
from rewards.models import PayoutBatch, PayoutLine
from scoring.models import Objection

pytestmark = pytest.mark.django_db

TRICKY = st.sampled_from([
    "", " ", "\u3000", "0", "-1", "1e999", "NaN", "9" * 40, "2011-02-30", "2011-13-01", "0000-00-00",
    "9999-12-31", "1899-12-31", "2011/5/3", "２０１１－０５－０３", "<script>alert(1)</script>", "' OR 1=1 --",
    "../../etc/passwd", "http://", "javascript:alert(1)", "安康日报", "汉滨区", "news", "x" * 5000, "null",
    "\u202e反向", "🙂", "\x00",
])
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
VALUE = st.one_of(TRICKY, TEXT, st.lists(st.one_of(TRICKY, TEXT), max_size=3))
FILE_BYTES = st.sampled_from([b"", b"MZ\x90\x00" + b"\x00" * 64, b"PK\x03\x04junk", b"%PDF-", b"\x89PNG\r\n",
                              b"GIF89a", b"\xff\xd8\xff"])
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MODELS = (Manuscript, Publication, ProofFile, AuditEvent, WebsiteContribution, PeriodReport, Objection,
          PayoutBatch, PayoutLine, ResearchTopic, UnitPlan, UnitLeader, ResponsiblePerson, WebsiteStatus,
          TrainingCourse, TrainingAttendance)


SEEN: list[int] = []


@pytest.fixture(autouse=True)
def refused_at_least_once():
    """Each fuzz run must actually reach its form and see it refuse something (not only 403s)."""
    SEEN.clear()
    yield
    assert {200, 400} & set(SEEN), SEEN


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def fields(names, files=()):
    optional = {name: VALUE for name in names}
    optional.update({name: FILE_BYTES for name in files})
    return st.fixed_dictionaries({}, optional=optional)


def post(client, url, data, files=()):
    payload = {}
    for key, value in data.items():
        if key in files:
            payload[key] = SimpleUploadedFile("上传.jpg", value)
        elif isinstance(value, str):
            payload[key] = value.replace("\x00", "")  # the test client cannot encode NUL in multipart
        else:
            payload[key] = [v.replace("\x00", "") for v in value]
    before = counts()
    response = client.post(url, payload)
    SEEN.append(response.status_code)
    assert response.status_code < 500
    if response.status_code not in (301, 302):
        assert counts() == before, data
    return response


def test_the_portal_entry_form(client, alice):
    client.force_login(alice)
    names = ["title", "authors", "kind", "special_topic", "key_topics", "outlet", "published_on",
             "front_headline", "page", "char_count", "url"]

    @FUZZ
    @given(fields(names, files=["proofs"]))
    def run(data):
        post(client, reverse("portal:record_create"), data, files=["proofs"])

    run()


def test_the_edit_form_of_a_draft(client, alice, hanbin, make_publication):
    draft = make_publication(hanbin, status=Status.DRAFT)
    client.force_login(alice)

    @FUZZ
    @given(fields(["title", "outlet", "published_on", "char_count", "url", "page", "kind"]))
    def run(data):
        post(client, reverse("portal:record_edit", args=[draft.pk]), data)

    run()


def test_the_reject_form(client, rita, hanyin, make_publication):
    client.force_login(rita)

    @FUZZ
    @given(fields(["reason"]))
    def run(data):
        publication = make_publication(hanyin, title=f"稿{Publication.objects.count()}", status=Status.SUBMITTED)
        post(client, reverse("portal:review_reject", args=[publication.pk]), data)
        publication.refresh_from_db()
        if publication.status == Status.REJECTED:
            assert publication.reject_reason.strip()

    run()


def test_the_contribution_form(client, alice):
    client.force_login(alice)

    @FUZZ
    @given(fields(["title", "body", "authors", "kind", "is_major", "signed_by", "first_published_url"],
                  files=["approval_scan"]))
    def run(data):
        post(client, reverse("reporting:contribution_new"), data, files=["approval_scan"])

    run()


def test_the_report_form(client, alice):
    client.force_login(alice)

    @FUZZ
    @given(fields(["note"], files=["attachment"]))
    def run(data):
        # A report with a note only is valid (and a second one for the period is refused).
        post(client, reverse("reporting:report_new", args=["2011"]), data, files=["attachment"])

    run()


def test_the_objection_form(client, alice, hanbin):
    today = timezone.localdate()
    YearClose.objects.create(year=2011, state=YearClose.State.NOTICE, notice_from=today - datetime.timedelta(days=1),
                             notice_until=today + datetime.timedelta(days=5))
    client.force_login(alice)

    @FUZZ
    @given(fields(["text"]))
    def run(data):
        post(client, reverse("scoring:objection_lodge", args=[2011, hanbin.pk]), data)

    run()


def test_the_payout_batch_open_form(client, rita):
    client.force_login(rita)

    @FUZZ
    @given(fields(["year", "period_end", "sheet"]))
    def run(data):
        post(client, reverse("rewards:batch_open"), data)

    run()


def test_the_year_reopen_form(client, rita):
    YearClose.objects.create(year=2011, state=YearClose.State.CLOSED)
    client.force_login(rita)

    @FUZZ
    @given(fields(["year", "reason"]))
    def run(data):
        post(client, reverse("yearend:reopen"), data)

    run()


# --- the duties of DOMAIN §11 (issue 16) ---------------------------------------------------------------------


def test_the_research_topic_form(client, alice):
    client.force_login(alice)

    @FUZZ
    @given(fields(["title", "lead", "planned_completion"]))
    def run(data):
        post(client, reverse("reporting:topic_new") + "?year=2011", data)

    run()


def test_the_plan_form_with_its_leading_group(client, alice):
    client.force_login(alice)
    rows = [f"leaders-{n}-{name}" for n in range(3) for name in ("role", "name", "post")]

    @FUZZ
    @given(fields(["summary", "staff", "staff_count", "budget", "leaders-TOTAL_FORMS", "leaders-INITIAL_FORMS",
                   *rows], files=["document"]))
    def run(data):
        post(client, reverse("reporting:plan_edit") + "?year=2011",
             {"leaders-TOTAL_FORMS": "3", "leaders-INITIAL_FORMS": "1", **data}, files=["document"])

    run()


def test_the_website_form(client, alice):
    client.force_login(alice)

    @FUZZ
    @given(fields(["state", "url", "online_on", "note"]))
    def run(data):
        post(client, reverse("reporting:website_edit"), data)

    run()


def test_the_attendance_form(client, rita, hanbin):
    from reporting.models import OfficerRoster

    OfficerRoster.objects.create(unit=hanbin, year=2011, officer_name="王明", phone="1", submitted_at=timezone.now())
    course = TrainingCourse.objects.create(title="培训", held_on=datetime.date(2011, 4, 20), place="市局")
    row = TrainingAttendance.objects.create(course=course, unit=hanbin, officer_name="王明")
    client.force_login(rita)

    @FUZZ
    @given(fields(["attendance-TOTAL_FORMS", "attendance-0-attendance", "attendance-0-state", "attendance-0-note"]))
    def run(data):
        post(client, reverse("reporting:training", args=[course.pk]),
             {"attendance-TOTAL_FORMS": "1", "attendance-INITIAL_FORMS": "1", "attendance-0-attendance": str(row.pk),
              **data})
        row.refresh_from_db()
        assert row.state in TrainingAttendance.State.values

    run()
