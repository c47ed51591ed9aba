"""The search index of publications (issue 15): publicity/search_sql.py holds the SQL per database."""

from django.db import migrations


def forward(apps, schema_editor):
    from publicity import search_sql

    search_sql.install(schema_editor.connection)


def backward(apps, schema_editor):
    from publicity import search_sql

    search_sql.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0008_membership_must_change_password"),
    ]

    operations = [migrations.RunPython(forward, backward)]
