"""Background work of the publicity app, through Django's Tasks API (the django-tasks backport).

Without a worker (TASKS_BACKEND=immediate, the default) a task runs at once in the process that
enqueues it, as before; with TASKS_BACKEND=database it waits in the database for `manage.py db_worker`.
Arguments are plain JSON values: a task may run on another machine.
"""

from django.core.mail import send_mass_mail
from django.db import transaction
from django_tasks import task


@task()
def mails_send(messages: list[list]) -> int:
    """Send [subject, body, from (None: DEFAULT_FROM_EMAIL), [recipients]] mails; a failure fails the task
    (visible in 管理后台 › 后台任务 and the worker's log) instead of vanishing."""
    return send_mass_mail([tuple(message) for message in messages], fail_silently=False)


def mails_send_after_commit(messages: list) -> None:
    """Queue the mails once the surrounding transaction commits: a rolled-back change sends nothing, and
    a worker never looks for a record it cannot see yet."""
    if messages:
        payload = [[subject, body, sender, list(to)] for subject, body, sender, to in messages]
        transaction.on_commit(lambda: mails_send.enqueue(payload))
