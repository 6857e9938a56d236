from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offenders", "0009_nominal_my_work_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="nominal",
            index=models.Index(
                condition=models.Q(("local_area__isnull", False), ("status", "active")),
                fields=["next_due_on", "reference"],
                name="nominal_my_work_active",
            ),
        ),
    ]
