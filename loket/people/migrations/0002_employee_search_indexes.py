"""Indexes for the caller type-ahead on PostgreSQL: `istartswith` becomes UPPER(col) LIKE 'X%',
which only an index on UPPER(col) with text_pattern_ops can answer without scanning every
employee. SQLite scans 50,000 rows fast enough and gets none."""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS employee_{column}_upper_idx "
            f"ON people_employee (UPPER({column}) text_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS employee_{column}_upper_idx")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
