import pytest

from core.models import AuditEvent
from publicity.models import Outlet, Unit

pytestmark = pytest.mark.django_db


def test_changing_an_outlet_in_the_admin_is_audited_with_before_and_after(client, rita):
    client.force_login(rita)
    outlet = Outlet.objects.get(name="安康经济")
    response = client.post(f"/admin/publicity/outlet/{outlet.pk}/change/", {
        "name": "安康经济", "level": "provincial", "media_class": "party_periodical", "is_active": "on", "note": "",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="reference.change", target_id=str(outlet.pk))
    assert event.actor == rita and event.actor_name
    assert event.before["level"] == "municipal" and event.after["level"] == "provincial"
    assert "安康经济" in event.summary


def test_adding_an_alias_inline_is_audited(client, rita):
    client.force_login(rita)
    outlet = Outlet.objects.get(name="新浪")
    client.post(f"/admin/publicity/outlet/{outlet.pk}/change/", {
        "name": "新浪", "level": "national", "media_class": "portal", "is_active": "on", "note": "",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000", "aliases-0-name": "新浪新闻", "aliases-0-outlet": outlet.pk,
    })
    event = AuditEvent.objects.get(action="reference.add", target_type="publicity.outletalias")
    assert event.after["name"] == "新浪新闻"


def test_deleting_a_unit_in_the_admin_is_audited(client, superuser):
    unit = Unit.objects.create(name="临时单位", kind="section")
    client.force_login(superuser)
    client.post(f"/admin/publicity/unit/{unit.pk}/delete/", {"post": "yes"})
    assert not Unit.objects.filter(pk=unit.pk).exists()
    event = AuditEvent.objects.get(action="reference.delete")
    assert event.before["name"] == "临时单位"
