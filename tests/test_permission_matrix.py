"""The permission matrix: every URL pattern of the project, requested by every persona.

ACCESS declares who may open each URL name; a URL missing from it fails `test_every_url_is_declared`,
so a new page cannot slip in without deciding who may see it. Admin URLs are declared per model.

Outcomes: an allowed persona reaches the view (a page, a redirect, or 400 for an empty form; never a
login page); a refused one is
sent to the login page (anonymous, or non-staff in the admin) or gets 401 (the API, anonymous)/403/404/405.
"""

import datetime

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import AuditEvent
from publicity.models import Publication, Status

PERSONAS = ("anonymous", "alice", "bob", "hank", "rita", "leo", "superuser")
EVERYONE = frozenset(PERSONAS)
LOGGED_IN = EVERYONE - {"anonymous"}
REVIEWERS = frozenset({"rita", "superuser"})
SUPERUSER = frozenset({"superuser"})
REVIEWERS_LEADERS = frozenset({"rita", "leo", "superuser"})
UNIT_A = frozenset({"alice", "hank"})          # officer and head of 汉滨区, which owns the world's records

NOBODY_ = frozenset()
OWN_UNIT_READERS = UNIT_A | REVIEWERS_LEADERS  # a record of 汉滨区: its people, reviewers, leaders


# URL name → (who may GET it, who may POST to it; None = a read-only page whose POST is not checked).
# Object URLs are filled from the `world` fixture (records of 汉滨区) by tests/permission_urls.py.
ACCESS: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {
    "home": (LOGGED_IN, None),
    "healthz": (EVERYONE, None),  # a status code for load balancers; details only for staff or a token
    "search": (LOGGED_IN, None),  # scoped by visible_to (tests/publicity/test_search.py)
    "login": (EVERYONE, None),
    "logout": (NOBODY_, None),  # POST only
    "admin:auth_user_password_change": (SUPERUSER, None),
    # own accounts (issue 15): everybody changes the own password; resetting needs no login
    "password_change": (LOGGED_IN, LOGGED_IN),
    "password_change_done": (LOGGED_IN, None),
    "password_reset": (EVERYONE, EVERYONE),
    "password_reset_done": (EVERYONE, None),
    "password_reset_confirm": (EVERYONE, None),
    "password_reset_complete": (EVERYONE, None),
    "admin:auth_user_reset_link": (SUPERUSER, SUPERUSER),
    "admin:publicity_unit_handover": (SUPERUSER, SUPERUSER),
    # scoring
    "scoring:dashboard": (REVIEWERS_LEADERS, None),
    "scoring:unit": (OWN_UNIT_READERS, None),
    "scoring:mine": (frozenset({"alice", "bob", "hank", "rita"}), None),  # redirects to the own unit
    "scoring:bulletin": (LOGGED_IN, None),
    "scoring:bulletin_xlsx": (LOGGED_IN, None),
    "scoring:periodic": (LOGGED_IN, None),
    "scoring:periodic_xlsx": (LOGGED_IN, None),
    "scoring:objections": (REVIEWERS, None),
    "scoring:objection_lodge": (NOBODY_, UNIT_A),
    "scoring:objection_answer": (NOBODY_, REVIEWERS),
    "yearend:publicize": (NOBODY_, REVIEWERS),
    "yearend:close": (NOBODY_, REVIEWERS),
    "yearend:reopen": (NOBODY_, REVIEWERS),
    # officer portal and review queue (the world's record is submitted, so nobody edits it: the edit
    # and submit views answer its own officer with a message, everybody else is refused)
    "portal:records": (LOGGED_IN, None),
    "portal:record_create": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "portal:record_detail": (OWN_UNIT_READERS, None),
    "portal:record_edit": (frozenset({"alice"}), frozenset({"alice"})),
    "portal:record_submit": (NOBODY_, frozenset({"alice"})),
    "portal:reprint_create": (frozenset({"alice"}), frozenset({"alice"})),
    "portal:proof": (OWN_UNIT_READERS, None),
    "portal:exports": (LOGGED_IN, None),
    "portal:export": (frozenset({"alice"}), None),  # an export is its requester's alone
    "portal:proof_delete": (NOBODY_, frozenset({"alice"})),
    "portal:outlet_search": (LOGGED_IN, None),
    "portal:duplicate_check": (frozenset({"alice", "bob"}), None),
    "portal:review_queue": (REVIEWERS, None),
    "portal:review_approve": (NOBODY_, REVIEWERS),
    "portal:review_reject": (REVIEWERS, REVIEWERS),
    "portal:review_bulk_approve": (NOBODY_, REVIEWERS),
    "portal:notifications": (LOGGED_IN, None),
    "portal:notification_read": (NOBODY_, LOGGED_IN),
    # bureau-website contributions and periodic reports
    "reporting:contributions": (LOGGED_IN, None),
    "reporting:contribution_new": (frozenset({"alice", "bob", "superuser"}), frozenset({"alice", "bob", "superuser"})),
    "reporting:contribution": (OWN_UNIT_READERS, None),
    "reporting:contribution_scan": (OWN_UNIT_READERS, None),
    "reporting:contribution_publish": (NOBODY_, REVIEWERS),
    "reporting:contribution_return": (NOBODY_, REVIEWERS),
    "reporting:reports": (frozenset({"alice", "bob", "hank", "superuser"}), None),  # superuser: to compliance
    "reporting:report_new": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:report": (OWN_UNIT_READERS, None),
    "reporting:report_export": (OWN_UNIT_READERS, None),
    "reporting:report_attachment": (OWN_UNIT_READERS, None),
    "reporting:roster": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:compliance": (REVIEWERS_LEADERS, None),
    "reporting:compliance_export": (REVIEWERS_LEADERS, None),
    # the notice's other duties (DOMAIN §11): officers file their own unit's, everybody who sees the unit reads its
    # page; the world's topic has a linked article, so its delete is refused (and the matrix's walk goes on)
    "reporting:duties": (LOGGED_IN, None),  # the own unit's page, or the compliance page for the bureau
    "reporting:unit_duties": (OWN_UNIT_READERS, None),
    "reporting:duties_print": (OWN_UNIT_READERS, None),
    "reporting:topic_new": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:topic_edit": (frozenset({"alice"}), frozenset({"alice"})),
    "reporting:topic_delete": (NOBODY_, frozenset({"alice"})),
    "reporting:plan_edit": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:plan_document": (OWN_UNIT_READERS, None),
    "reporting:responsible_edit": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:website_edit": (frozenset({"alice", "bob"}), frozenset({"alice", "bob"})),
    "reporting:websites": (REVIEWERS_LEADERS, None),
    "reporting:trainings": (REVIEWERS_LEADERS, None),
    "reporting:training_new": (REVIEWERS, REVIEWERS),
    "reporting:training": (REVIEWERS_LEADERS, REVIEWERS),  # leaders read; reviewers record attendance
    "reporting:training_edit": (REVIEWERS, REVIEWERS),
    "reporting:training_invite": (NOBODY_, REVIEWERS),
    # Excel exchange (officers download their own unit's rows only; tested in tests/publicity)
    "exchange": (LOGGED_IN, None),
    "exchange_articles_template": (LOGGED_IN, None),
    "exchange_articles": (LOGGED_IN, None),
    "exchange_quotas_template": (REVIEWERS, None),
    "exchange_statistics": (REVIEWERS_LEADERS, None),
    "admin:publicity_publication_export": (REVIEWERS, None),
    "admin:publicity_publication_import": (REVIEWERS, REVIEWERS),
    "admin:publicity_publication_template": (REVIEWERS, None),
    "admin:scoring_quota_import": (REVIEWERS, REVIEWERS),
    "admin:scoring_quota_statistics": (REVIEWERS, None),
    "admin:scoring_quota_template": (REVIEWERS, None),
    "admin:scoring_quota_export": (REVIEWERS, None),
    "admin:publicity_publication_process_import": (NOBODY_, REVIEWERS),  # the confirmation step: POST only
    "admin:scoring_quota_process_import": (NOBODY_, REVIEWERS),
    # exports of what a reference-data list shows (django-import-export, exchange/admin.py)
    "admin:publicity_unit_export": (REVIEWERS, None),
    "admin:publicity_outlet_export": (REVIEWERS, None),
    "admin:publicity_outletalias_export": (REVIEWERS, None),
    "admin:core_auditevent_export": (REVIEWERS, None),
    "admin:rewards_ratesheet_export": (REVIEWERS, None),
    "admin:rewards_payoutline_export": (REVIEWERS, None),
    # rewards (the world's batch is a draft: officers and heads see confirmed batches only)
    "rewards:batches": (LOGGED_IN, None),
    "rewards:batch_open": (NOBODY_, REVIEWERS),
    "rewards:batch_detail": (REVIEWERS_LEADERS, None),
    "rewards:batch_xlsx": (REVIEWERS_LEADERS, None),
    "rewards:batch_units_xlsx": (REVIEWERS_LEADERS, None),
    "rewards:batch_confirm": (NOBODY_, REVIEWERS),
    "rewards:batch_discard": (NOBODY_, REVIEWERS),
    # commendations: everybody reads the list; reviewers propose, confirm, remove and print
    "rewards:commendations": (LOGGED_IN, None),
    "rewards:commendation_propose": (NOBODY_, REVIEWERS),
    "rewards:commendation_confirm": (NOBODY_, REVIEWERS),
    "rewards:commendation_remove": (NOBODY_, REVIEWERS),
    "rewards:commendation_certificates": (REVIEWERS, None),
    # PDF documents (issue 18): who may read the page may download its PDF
    "scoring:bulletin_pdf": (LOGGED_IN, None),
    "scoring:unit_pdf": (OWN_UNIT_READERS, None),
    "rewards:batch_sheet": (REVIEWERS_LEADERS, None),
    "rewards:batch_pdf": (REVIEWERS_LEADERS, None),
    "rewards:commendation_certificates_pdf": (REVIEWERS, None),
    # the REST API (issue 18), with the session; tokens and their scopes: tests/api/test_token_scopes.py
    "api:root": (LOGGED_IN, None),
    "api:units": (LOGGED_IN, None),  # officers and heads: their own unit only
    "api:unit": (OWN_UNIT_READERS, None),
    "api:quotas": (LOGGED_IN, None),  # the visible units' quotas only
    "api:outlets": (LOGGED_IN, None),
    "api:assessment": (LOGGED_IN, None),  # like the bulletin: every unit's score is public to every user
    "api:bulletin": (LOGGED_IN, None),
    "api:rewards": (REVIEWERS_LEADERS, None),
    "api:records": (LOGGED_IN, frozenset({"alice", "bob"})),
    "api:record": (OWN_UNIT_READERS, None),
    "api:record_submit": (NOBODY_, frozenset({"alice"})),
    "api:record_proofs": (NOBODY_, frozenset({"alice"})),
    "api:record_approve": (NOBODY_, REVIEWERS),
    "api:record_reject": (NOBODY_, REVIEWERS),
    "api:proof": (OWN_UNIT_READERS, None),
    "api:token": (NOBODY_, EVERYONE),  # POST only: user name and password in the body
    "api:token_revoke": (NOBODY_, LOGGED_IN),
    "api:schema": (LOGGED_IN, None),
    "api:docs": (LOGGED_IN, None),
}

# Admin, per model. The superuser may do every action the admin offers at all; NOBODY lists the actions
# the admin refuses to everybody (append-only and read-only records). Reviewers may do what
# REVIEWER_ACTIONS says (default: everything); officers, heads and leaders are not staff and never
# reach the admin.
ALL_ACTIONS = frozenset({"changelist", "add", "change", "delete", "history"})
READ_ONLY = frozenset({"changelist", "change", "history"})  # "change" shows the read-only page
NOBODY: dict[str, frozenset[str]] = {
    "core.auditevent": frozenset({"add", "delete"}),
    "publicity.prooffile": frozenset({"add", "delete"}),  # shown only: removed through the workflow (issue 19)
    "scoring.assessmentpolicy": frozenset({"delete"}),
    "core.yearclose": frozenset({"add", "delete"}),
    "scoring.unitresultsnapshot": frozenset({"add", "delete"}),
    "scoring.objection": frozenset({"add", "delete"}),
    "rewards.payoutbatch": frozenset({"add", "delete"}),
    "rewards.payoutline": frozenset({"add", "delete"}),
    "rewards.rewardsnapshot": frozenset({"add", "delete"}),
    "rewards.commendation": frozenset({"add", "delete"}),
    # contributions, reports and rosters change only through their pages; the admin only reads them
    "reporting.websitecontribution": frozenset({"add", "delete"}),
    "reporting.periodreport": frozenset({"add", "delete"}),
    "reporting.officerroster": frozenset({"add", "delete"}),
    "reporting.reminderlog": frozenset({"add", "delete"}),
    # the duties of DOMAIN §11 change only through their pages (the year's settings are edited in the admin)
    "publicity.researchtopic": frozenset({"add", "delete"}),
    "reporting.unitplan": frozenset({"add", "delete"}),
    "reporting.responsibleperson": frozenset({"add", "delete"}),
    "reporting.websitestatus": frozenset({"add", "delete"}),
    "reporting.trainingcourse": frozenset({"add", "delete"}),
    "reporting.trainingattendance": frozenset({"add", "delete"}),
    "axes.accessattempt": frozenset({"add"}),
    "axes.accesslog": frozenset({"add"}),
    "axes.accessfailurelog": frozenset({"add"}),
    "django_tasks_database.dbtaskresult": frozenset({"add", "delete"}),  # written by the task queue only
    "publicity.exportfile": frozenset({"add", "delete"}),  # written by the export task only
    "api.apitoken": frozenset({"delete"}),  # revoked, never deleted
}
REVIEWER_ACTIONS: dict[str, frozenset[str]] = {
    "auth.user": frozenset(),
    "auth.group": frozenset(),
    "publicity.membership": READ_ONLY,  # only the administrator assigns users to units
    "publicity.notification": frozenset(),  # personal; the administrator may look into them
    # login lock-out records (django-axes) are the administrator's
    "axes.accessattempt": frozenset(),
    "axes.accesslog": frozenset(),
    "axes.accessfailurelog": frozenset(),
    "django_tasks_database.dbtaskresult": frozenset(),  # background tasks: the administrator's
    "publicity.exportfile": frozenset(),  # personal files; the administrator sees that they were made
    "api.apitoken": frozenset(),  # API tokens are the administrator's
}


def admin_allowed(persona: str, label: str, action: str) -> bool:
    if action in NOBODY.get(label, frozenset()):
        return False
    if persona == "superuser":
        return True
    return persona == "rita" and action in REVIEWER_ACTIONS.get(label, ALL_ACTIONS)


# Names that are not pages somebody opens by a link (handled by Django itself).
NOT_PAGES = {"admin:view_on_site", "admin:jsi18n", "admin:autocomplete", "admin:login", "admin:logout",
             "admin:password_change", "admin:password_change_done", "admin:app_list", "admin:index"}


def walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def project_url_names() -> set[str]:
    return {name for name, _ in walk(get_resolver().url_patterns)}


def admin_url_names() -> dict[str, tuple[str, str]]:
    """admin URL name → (model label, action) for every registered model."""
    names = {}
    for model in admin.site._registry:
        opts = model._meta
        for action in ("changelist", "add", "change", "delete", "history"):
            names[f"admin:{opts.app_label}_{opts.model_name}_{action}"] = (opts.label_lower, action)
    return names


def test_every_url_is_declared():
    admin_names = admin_url_names()
    undeclared = sorted(name for name in project_url_names()
                        if name not in ACCESS and name not in admin_names and name not in NOT_PAGES)
    assert undeclared == [], f"URLs without a line in the permission matrix: {undeclared}"


@pytest.fixture
def world(make_publication, hanbin, alice):
    """One record of every kind, owned by 汉滨区 (Alice's and Hank's unit; not Bob's)."""
    publication = make_publication(hanbin, title="矩阵测试稿件", status=Status.SUBMITTED)
    AuditEvent.objects.create(action="test", target_type="publicity.publication", target_id=str(publication.pk),
                              summary="矩阵测试")
    from django.contrib.auth.models import User

    from scoring.models import Objection

    objection = Objection.objects.create(year=2011, unit=hanbin, text="矩阵测试异议")
    from django.core.files.base import ContentFile

    from publicity.models import ProofFile
    from rewards.services import payout_batch_open

    proof = ProofFile(publication=publication, original_name="版面.png", sha256="0" * 64, size=3)
    proof.file.save("proof.png", ContentFile(b"png"), save=True)

    make_publication(hanbin, title="矩阵测试已通过稿件", outlet="陕西日报", authors="王明")
    from publicity.models import ExportFile

    export = ExportFile.objects.create(user=alice, kind="bulletin", params={"year": 2011},
                                       state=ExportFile.State.FAILED)

    batch = payout_batch_open(year=2011, period_end=datetime.date(2011, 12, 31), reviewer=None)
    from rewards.models import Commendation

    commendation = Commendation.objects.create(year=2011, kind=Commendation.Kind.COLLECTIVE, unit=hanbin,
                                               reason="矩阵测试表彰")
    from django.utils import timezone

    from reporting.models import PeriodReport, WebsiteContribution

    contribution = WebsiteContribution(unit=hanbin, title="矩阵测试投稿", body="正文", signed_by="科长",
                                       scan_name="签批.pdf", scan_content_type="application/pdf",
                                       submitted_at=timezone.now())
    contribution.approval_scan.save("scan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    report = PeriodReport(unit=hanbin, period_kind="annual", period_start=datetime.date(2011, 1, 1),
                          period_end=datetime.date(2011, 12, 31), due_on=datetime.date(2011, 12, 25),
                          submitted_at=timezone.now(), attachment_name="明细表.xlsx")
    report.attachment.save("a.xlsx", ContentFile(b"PK"), save=True)
    from publicity.models import Manuscript, ResearchTopic
    from reporting.models import OfficerRoster, TrainingAttendance, TrainingCourse, UnitPlan

    topic = ResearchTopic.objects.create(unit=hanbin, year=2011, title="矩阵测试专题", lead="王明",
                                         planned_completion=datetime.date(2011, 11, 30))
    Manuscript.objects.create(unit=hanbin, title="矩阵测试调研文章", kind="research", research_topic=topic)
    plan = UnitPlan(unit=hanbin, year=2011, summary="计划", staff="王明", staff_count=1, budget=1000,
                    document_name="计划.pdf", document_content_type="application/pdf", submitted_at=timezone.now(),
                    updated_at=timezone.now())
    plan.document.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    course = TrainingCourse.objects.create(title="矩阵测试培训", held_on=datetime.date(2011, 4, 20), place="市局")
    OfficerRoster.objects.create(unit=hanbin, year=2011, officer_name="王明", phone="1", submitted_at=timezone.now())
    TrainingAttendance.objects.create(course=course, unit=hanbin, officer_name="王明")
    return {"topic": topic, "plan": plan, "course": course,
            "batch": batch, "commendation": commendation, "contribution": contribution, "report": report,
            "proof": proof, "publication": publication, "unit": hanbin, "objection": objection,
            "user": User.objects.create_user("matrix-user"), "export": export}


@pytest.fixture(autouse=True)
def quick_pdfs(monkeypatch):
    """The matrix checks who reaches a PDF view, not the layout (tests/test_documents.py): skip the rendering."""
    monkeypatch.setattr("core.pdf.pdf_unavailable_reason", lambda: None)
    monkeypatch.setattr("core.pdf.pdf_render", lambda **kwargs: b"%PDF-1.7 matrix")


def url_for(name: str, world) -> str:
    from tests.permission_urls import kwargs_for

    return reverse(name, kwargs=kwargs_for(name, world))


def assert_outcome(response, allowed: bool, persona: str, url: str):
    location = response.get("Location", "")
    sent_to_login = response.status_code in (301, 302) and "login" in location
    if allowed:
        # 400 is a form error: the persona reached the view (an empty POST is rarely valid).
        assert response.status_code in (200, 201, 204, 301, 302, 303, 400) and not sent_to_login, (
            f"{persona} should reach {url}, got {response.status_code} {location}")
    else:
        assert sent_to_login or response.status_code in (401, 403, 404, 405), (
            f"{persona} must not reach {url}, got {response.status_code} {location}")


def assert_not_stored(response, persona: str, url: str):
    """Issue 19: a signed-in user's pages and every download tell browsers and proxies to keep no copy."""
    if persona != "anonymous" or "Content-Disposition" in response:
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert "no-store" in directives, f"{url} for {persona}: Cache-Control {response.get('Cache-Control')!r}"


def login_as(client, persona, request):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_project_pages_follow_the_matrix(persona, client, request, world):
    login_as(client, persona, request)
    for name in sorted(project_url_names() & set(ACCESS)):
        url = url_for(name, world)
        get_allowed, post_allowed = ACCESS[name]
        response = client.get(url)
        assert_outcome(response, persona in get_allowed, persona, url)
        assert_not_stored(response, persona, url)
        if post_allowed is not None:
            assert_outcome(client.post(url, {}), persona in post_allowed, persona, "POST " + url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_pages_follow_the_matrix(persona, client, request, world):
    login_as(client, persona, request)
    for name, (label, action) in sorted(admin_url_names().items()):
        model = next(m for m in admin.site._registry if m._meta.label_lower == label)
        allowed = admin_allowed(persona, label, action)
        if action in ("change", "delete", "history"):
            obj = model._default_manager.order_by("pk").first()
            if obj is None:
                continue
            url = reverse(name, args=[obj.pk])
        else:
            url = reverse(name)
        response = client.get(url)
        assert_outcome(response, allowed, persona, url)
        assert_not_stored(response, persona, url)


@pytest.mark.django_db
def test_an_officer_of_another_unit_cannot_open_the_admin_record(client, bob, world):
    bob.is_staff = True  # even a misconfigured staff flag does not reveal another unit's records
    bob.save()
    client.force_login(bob)
    publication = world["publication"]
    response = client.get(reverse("admin:publicity_publication_change", args=[publication.pk]))
    assert response.status_code in (302, 403, 404)
    assert Publication.objects.visible_to(bob).count() == 0
