"""Every install starts with office hours as its default calendar (Monday-Friday 08:30-17:00)."""

from django.db import migrations

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def create_default(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    if not BusinessCalendar.objects.filter(is_default=True).exists():
        BusinessCalendar.objects.get_or_create(
            code="KANTOOR",
            defaults={"name": "Kantoortijden", "is_default": True, **dict.fromkeys(WEEKDAYS, "08:30-17:00")},
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
