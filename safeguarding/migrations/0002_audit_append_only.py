"""PostgreSQL refuses UPDATE and DELETE on the audit log, whoever asks."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION safeguarding_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS safeguarding_auditevent_append_only ON safeguarding_auditevent;
CREATE TRIGGER safeguarding_auditevent_append_only
    BEFORE UPDATE OR DELETE ON safeguarding_auditevent
    FOR EACH ROW EXECUTE FUNCTION safeguarding_auditevent_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS safeguarding_auditevent_append_only ON safeguarding_auditevent;
DROP FUNCTION IF EXISTS safeguarding_auditevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
