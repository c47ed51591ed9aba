"""Background work of reporting (Django's Tasks API; inline unless a worker is configured)."""

import datetime

from django_tasks import task

from reporting.reports import reminders_send


@task()
def reminders_send_task(today: str) -> list[str]:
    """The daily reminders (publicity.reports.reminders_send); returns "unit: recipients" per mail sent."""

    sent = reminders_send(today=datetime.date.fromisoformat(today))
    return [f"{log.unit.name}：{log.recipients}" for log in sent]
