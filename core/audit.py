"""The one place that writes the audit trail (zulip's rule: side effects in one obvious place)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict

from core.models import AuditEvent


def snapshot(obj) -> dict:
    """A JSON-safe dict of a model instance's own fields, for before/after in the audit trail."""
    import json

    data = model_to_dict(obj)
    for key, value in list(data.items()):
        if hasattr(value, "__iter__") and not isinstance(value, str | bytes | dict):
            # Many-to-many values (a list or queryset of instances) are kept as their keys.
            data[key] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "name") and hasattr(value, "url"):  # file fields
            data[key] = value.name
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit_record(*, actor, action: str, target, summary: str, unit=None, before=None, after=None,
                 reason: str = "") -> AuditEvent:
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = actor.get_full_name() or actor.username
    elif actor is None:
        actor_name = "系统"
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_name,
        action=action,
        target_type=target._meta.label_lower if hasattr(target, "_meta") else str(target),
        target_id=str(getattr(target, "pk", "") or ""),
        unit=unit,
        summary=summary[:300],
        before=before,
        after=after,
        reason=reason,
    )


def export_record(*, actor, action: str, filename: str, target: str, unit=None, rows: int | None = None,
                  **details) -> AuditEvent:
    """Every export is audited (issue 8): who downloaded which file, of what, with how many rows."""
    after = {"file": filename, **({"rows": rows} if rows is not None else {}), **details}
    return audit_record(actor=actor, action=action, target=target, unit=unit, summary=f"导出「{filename}」",
                        after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)))
