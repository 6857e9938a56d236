"""The system member of staff that background work (chasing actions, scans, snapshots, scheduling) acts as."""

from django.contrib.auth.hashers import make_password
from django.db import migrations

SYSTEM_USERNAME = "system"


def create(apps, schema_editor):
    Staff = apps.get_model("workforce", "Staff")
    Staff.objects.using(schema_editor.connection.alias).get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "System",
            "last_name": "Process",
            "roles": [],
            "password": make_password(None),
            "is_active": False,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("workforce", "0004_allocation_figures")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
