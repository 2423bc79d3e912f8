"""PostgreSQL refuses TRUNCATE on the audit log too (issue 11, point 5).

The row triggers of 0002 stop UPDATE and DELETE, but TRUNCATE fires no row trigger: it needs a
statement-level one. One connection setting lets it through, ``portal.audit_truncate =
'allowed'``: the test settings set it, because Django empties the database between transactional
tests (the browser and worker tests) with TRUNCATE. Production never sets it; a person who can
set it can already drop the trigger, so it opens nothing the database owner did not have.
"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION safeguarding_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('portal.audit_truncate', true), '') = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: TRUNCATE is not allowed';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS safeguarding_auditevent_no_truncate ON safeguarding_auditevent;
CREATE TRIGGER safeguarding_auditevent_no_truncate
    BEFORE TRUNCATE ON safeguarding_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_auditevent_no_truncate();
"""
ALLOW = """
DROP TRIGGER IF EXISTS safeguarding_auditevent_no_truncate ON safeguarding_auditevent;
DROP FUNCTION IF EXISTS safeguarding_auditevent_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0004_pending_upload")]
    operations = [migrations.RunPython(forward, backward)]
