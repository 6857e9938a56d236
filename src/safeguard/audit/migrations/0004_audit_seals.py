"""The audit seals: one row per closed batch of audit rows, append-only on PostgreSQL as the rows are."""

import django.utils.timezone
from django.db import migrations, models

FORWARD = """
CREATE TRIGGER audit_auditseal_append_only
  BEFORE UPDATE OR DELETE ON audit_auditseal
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""
BACKWARD = "DROP TRIGGER IF EXISTS audit_auditseal_append_only ON audit_auditseal;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_partition_by_month'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveBigIntegerField(unique=True)),
                ('after_id', models.BigIntegerField(help_text='The batch holds the rows whose id is above this one...')),
                ('last_id', models.BigIntegerField(help_text='...up to and including this one.')),
                ('row_count', models.PositiveIntegerField()),
                ('rows_digest', models.CharField(max_length=64)),
                ('previous_hash', models.CharField(max_length=64)),
                ('seal_hash', models.CharField(max_length=64, unique=True)),
                ('sealed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['number'],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
