"""Issue 8 item 4: two reviewers acting on one record at once give exactly one transition.

Each thread has its own database connection (Django opens one per thread) on the file SQLite test
database or on PostgreSQL; a barrier releases both at the same moment.
"""

import threading

import pytest
from django.db import connection

from core import roles
from core.models import AuditEvent
from core.yearlock import STALE_ADMIN_MESSAGE
from publicity import services
from publicity.models import Publication, Status
from tests.admin_forms import admin_change_data
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run each call in its own thread and connection, all released together; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = ("ok", call())
        except Exception as exc:
            outcomes[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_the_database_is_a_file_or_a_server():
    name = str(connection.settings_dict["NAME"])
    assert connection.vendor == "postgresql" or (name not in ("", ":memory:") and "mode=memory" not in name)


@pytest.mark.parametrize("second", ["approve", "reject"])
def test_two_reviewers_at_once_give_exactly_one_transition(reference_data, hanyin, rita, make_publication, second):
    rosa = make_user("rosa", roles.REVIEWER, is_staff=True)
    publication = make_publication(hanyin, status=Status.SUBMITTED)
    first_copy, second_copy = Publication.objects.get(pk=publication.pk), Publication.objects.get(pk=publication.pk)
    calls = [lambda: services.publication_approve(publication=first_copy, reviewer=rita)]
    if second == "approve":
        calls.append(lambda: services.publication_approve(publication=second_copy, reviewer=rosa))
    else:
        calls.append(lambda: services.publication_reject(publication=second_copy, reviewer=rosa, reason="凭证不清"))
    outcomes = race(*calls)
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, services.WorkflowError)
    assert "可能已有其他人处理" in str(error)
    final = Publication.objects.get(pk=publication.pk)
    assert final.status in (Status.APPROVED, Status.REJECTED)
    transitions = AuditEvent.objects.filter(target_id=str(publication.pk),
                                            action__in=["publication.approve", "publication.reject"])
    assert transitions.count() == 1
    assert transitions.get().after == {"status": final.status}


def test_a_stale_admin_save_is_refused_with_a_clear_message(reference_data, client, hanyin, rita, make_publication):
    publication = make_publication(hanyin, status=Status.APPROVED, char_count=500)
    client.force_login(rita)
    url = f"/admin/publicity/publication/{publication.pk}/change/"
    opened = admin_change_data(client, url, char_count="800")  # Rita opens the page ...
    other = Publication.objects.get(pk=publication.pk)
    other.page = "第3版"  # ... meanwhile another reviewer saves the record
    other.save()
    response = client.post(url, opened)
    assert response.status_code == 200
    assert STALE_ADMIN_MESSAGE.split("（")[0] in response.content.decode()
    stored = Publication.objects.get(pk=publication.pk)
    assert (stored.char_count, stored.page) == (500, "第3版")
    response = client.post(url, admin_change_data(client, url, char_count="800"))
    assert response.status_code == 302
    assert Publication.objects.get(pk=publication.pk).char_count == 800
    event = AuditEvent.objects.get(action="publication.admin_change")
    assert event.before == {"char_count": 500} and event.after["char_count"] == 800
