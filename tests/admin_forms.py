"""Build the POST data of an admin change form from the page itself (main form and every inline)."""

import datetime

from django.db.models import Model


def _value(value):
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = _value(form[name].value())
        if value in ("", []) and form.fields[name].__class__.__name__ == "BooleanField":
            continue
        data[form.add_prefix(name)] = value
    return data


def admin_change_data(client, url: str, **changes) -> dict:
    """What the browser would send for the page at url, with `changes` applied to the main form."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.initial_forms:
            data.update(_form_data(form))
    data = {k: v for k, v in data.items() if v != "" or k.endswith("id") is False}
    data.update(changes)
    return data
