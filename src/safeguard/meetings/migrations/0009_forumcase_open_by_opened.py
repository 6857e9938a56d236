from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_forum_cadence_daily"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="forumcase",
            index=models.Index(
                condition=models.Q(("closed_on", None)),
                fields=["opened_on", "id"],
                name="forumcase_open_by_opened",
            ),
        ),
    ]
