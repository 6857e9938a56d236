from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0003_training_caseloads_allocation"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocationbatch",
            name="figures",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
