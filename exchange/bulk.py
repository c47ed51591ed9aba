"""Inserting tens of thousands of rows in one go, for the resources' `bulk_create` hook.

Django's `bulk_create` prepares every value of every object through the field (some 20 µs an object with
timestamps): for a 50,000-row detail table that alone took longer than the 5 s the whole import may take.
Here each column gets one converter, a value that recurs (a date, the import's timestamp) is converted once,
and the rows go to the database as one `executemany` — or, where the new keys are needed (manuscripts, which
the publications point to), as multi-row `INSERT … RETURNING id`, exactly as Django's own bulk_create does on
SQLite ≥ 3.35 and PostgreSQL, in the order of the objects.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.utils import timezone


def _converter(field: models.Field, connection):
    if isinstance(field, models.DateTimeField | models.DateField | models.DecimalField | models.TimeField):
        memo: dict = {}

        def convert(value, field=field, memo=memo):
            try:
                return memo[value]
            except KeyError:
                memo[value] = field.get_db_prep_save(value, connection)
                return memo[value]
            except TypeError:  # unhashable: never for these fields, but stay correct
                return field.get_db_prep_save(value, connection)

        return convert
    if isinstance(field, models.JSONField):
        return lambda value, field=field: field.get_db_prep_save(value, connection)
    return None  # text, numbers, booleans and keys go to the driver as they are


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *, return_ids: bool = False) -> None:
    """Insert `objs` (new, unsaved instances of `model`); with `return_ids`, set their primary keys."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
    related = [(i, f) for i, f in enumerate(fields) if f.is_relation]
    converters = [(i, c) for i, c in ((i, _converter(f, connection)) for i, f in enumerate(fields)) if c]
    attnames = [f.attname for f in fields]
    rows = []
    for obj in objs:
        values = obj.__dict__
        row = [values.get(name) for name in attnames]
        for i, f in related:
            if row[i] is None:  # a related object assigned before it was saved (a new manuscript)
                target = f.get_cached_value(obj, None)
                row[i] = None if target is None else target.pk
                values[f.attname] = row[i]
        for i, convert in converters:
            row[i] = convert(row[i])
        rows.append(row)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(meta.db_table)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if not return_ids:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", rows)
        else:
            per_statement = max(1, (connection.features.max_query_params or 65535) // len(fields))
            pk = quote(meta.pk.column)
            for start in range(0, len(rows), per_statement):
                chunk = rows[start:start + per_statement]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                               f"RETURNING {pk}", [value for row in chunk for value in row])
                for obj, (key,) in zip(objs[start:start + per_statement], cursor.fetchall(), strict=True):
                    obj.pk = key
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


class Builder:
    """New, unsaved instances of a model for tens of thousands of rows.

    Django's `Model(**values)` checks every field against the keywords and sets each through its descriptor
    (some 30 µs an instance: for a 50,000-row table more than a second). A new instance here is made the way
    `copy` and pickling make one — its attributes set directly, defaults from the fields, a fresh state —
    and related objects are cached on it as the keyword form would (a new manuscript has no key yet:
    `bulk_insert` takes it from the cache once the manuscript is saved). The models built here have no
    `post_init` receivers, which is all that the shortcut skips.
    """

    def __init__(self, model: type[models.Model]):
        self.model = model
        fields = model._meta.concrete_fields
        self.relations = {f.name: f for f in fields if f.is_relation}
        self.template = {f.attname: None if f.has_default() and callable(f.default) else f.get_default()
                         for f in fields}
        self.callables = [f for f in fields if f.has_default() and callable(f.default)]

    def __call__(self, **values) -> models.Model:
        data = self.template.copy()
        for field in self.callables:
            data[field.attname] = field.get_default()
        cached = {}
        for name, value in values.items():
            field = self.relations.get(name)
            if field is None:
                data[name] = value
            else:
                data[field.attname] = None if value is None else value.pk
                if value is not None:
                    cached[field.cache_name] = value
        instance = self.model.__new__(self.model)
        instance.__dict__.update(data)
        instance._state = ModelState()
        if cached:
            instance._state.fields_cache = cached
        return instance
