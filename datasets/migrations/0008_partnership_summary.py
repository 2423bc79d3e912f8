"""The partnership's figure per quarter and indicator, kept by PostgreSQL (``PartnershipSummary``).

Statement triggers with transition tables on returns and values recompute the summary rows of
every (quarter, indicator) a statement touches, from the stored figures, so every way of writing
(the workflow, historical loads, COPY, corrections, deletes) keeps it true. Then the rows for
what is already stored are filled. SQLite (the first-look database) gets the table only.
"""

import django.db.models.deletion
from django.db import migrations, models


# The one recomputation every trigger calls: the rows of the given (quarter, indicator) pairs,
# deleted and worked out again from the accepted returns' totals. The advisory lock (namespace
# 8008, one key per quarter, taken in order) makes concurrent recomputations of a quarter wait
# for each other; each statement after it takes a fresh snapshot (READ COMMITTED), so the one
# that waited sees what the other committed.
REFRESH = """
CREATE OR REPLACE FUNCTION datasets_summary_refresh(pair_quarters bigint[], pair_indicators bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF pair_quarters IS NULL OR cardinality(pair_quarters) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(8008, q::int)
       FROM (SELECT DISTINCT unnest(pair_quarters) AS q ORDER BY 1) AS quarters;
    DELETE FROM datasets_partnershipsummary s
     USING (SELECT DISTINCT q, i FROM unnest(pair_quarters, pair_indicators) AS p(q, i)) p
     WHERE s.quarter_id = p.q AND s.indicator_id = p.i;
    INSERT INTO datasets_partnershipsummary
           (quarter_id, indicator_id, contributors, median, numerator_total, denominator_total, counted, value_total)
    SELECT r.quarter_id, v.indicator_id, count(v.value), percentile_cont(0.5) WITHIN GROUP (ORDER BY v.value),
           sum(v.numerator), sum(v.denominator), count(v.numerator), sum(v.value)
      FROM (SELECT DISTINCT q, i FROM unnest(pair_quarters, pair_indicators) AS p(q, i)) p
      JOIN datasets_return r ON r.quarter_id = p.q AND r.status = 'accepted'
      JOIN datasets_returnvalue v ON v.ret_id = r.id AND v.indicator_id = p.i
     WHERE v.part_id IS NULL AND v.value IS NOT NULL
     GROUP BY r.quarter_id, v.indicator_id;
END $$;
"""

# Values: the pairs of the inserted, changed or deleted totals whose return is accepted. Values
# of drafts join nothing, so saving a draft costs one empty join.
VALUES_CHANGED = """
CREATE OR REPLACE FUNCTION datasets_summary_values_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quarters bigint[];
    indicators bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT r.quarter_id AS q, n.indicator_id AS i FROM new_rows n
              JOIN datasets_return r ON r.id = n.ret_id AND r.status = 'accepted' WHERE n.part_id IS NULL) p;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT r.quarter_id AS q, o.indicator_id AS i FROM old_rows o
              JOIN datasets_return r ON r.id = o.ret_id AND r.status = 'accepted' WHERE o.part_id IS NULL) p;
    ELSE
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT r.quarter_id AS q, c.indicator_id AS i FROM (
                SELECT ret_id, indicator_id, part_id FROM new_rows
                UNION ALL SELECT ret_id, indicator_id, part_id FROM old_rows) c
              JOIN datasets_return r ON r.id = c.ret_id AND r.status = 'accepted' WHERE c.part_id IS NULL) p;
    END IF;
    PERFORM datasets_summary_refresh(quarters, indicators);
    RETURN NULL;
END $$;
"""

# Returns: a return that becomes accepted or stops being accepted (reopened), or moves quarter,
# changes the pairs of its values; an accepted return inserted after its values (a COPY in
# another order) adds them; a deleted accepted return recomputes its quarter's rows (its values
# may already be gone, so the pairs come from the table itself).
RETURNS_CHANGED = """
CREATE OR REPLACE FUNCTION datasets_summary_returns_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    quarters bigint[];
    indicators bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT n.quarter_id AS q, v.indicator_id AS i FROM new_rows n
              JOIN datasets_returnvalue v ON v.ret_id = n.id AND v.part_id IS NULL
             WHERE n.status = 'accepted') p;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT s.quarter_id AS q, s.indicator_id AS i FROM old_rows o
              JOIN datasets_partnershipsummary s ON s.quarter_id = o.quarter_id
             WHERE o.status = 'accepted') p;
    ELSE
        SELECT array_agg(q), array_agg(i) INTO quarters, indicators FROM (
            SELECT DISTINCT moved.q, v.indicator_id AS i FROM (
                SELECT n.id, o.quarter_id AS old_q, n.quarter_id AS new_q FROM new_rows n JOIN old_rows o ON o.id = n.id
                 WHERE (o.status = 'accepted' OR n.status = 'accepted')
                   AND (o.status IS DISTINCT FROM n.status OR o.quarter_id <> n.quarter_id)) changed
             CROSS JOIN LATERAL (VALUES (changed.old_q), (changed.new_q)) AS moved(q)
              JOIN datasets_returnvalue v ON v.ret_id = changed.id AND v.part_id IS NULL) p;
    END IF;
    PERFORM datasets_summary_refresh(quarters, indicators);
    RETURN NULL;
END $$;
"""

FUNCTIONS = {"return": "datasets_summary_returns_changed", "returnvalue": "datasets_summary_values_changed"}
# PostgreSQL allows transition tables only on a trigger for one event: three triggers a table.
EVENTS = {"insert": "NEW TABLE AS new_rows", "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
          "delete": "OLD TABLE AS old_rows"}
TRIGGERS = [
    f"CREATE TRIGGER datasets_summary_{table}_{event} AFTER {event.upper()} ON datasets_{table} "
    f"REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    for table, function in FUNCTIONS.items() for event, refs in EVENTS.items()
]

# The rows for what is already stored.
FILL = """
SELECT datasets_summary_refresh(array_agg(q), array_agg(i)) FROM (
    SELECT DISTINCT r.quarter_id AS q, v.indicator_id AS i FROM datasets_return r
      JOIN datasets_returnvalue v ON v.ret_id = r.id AND v.part_id IS NULL WHERE r.status = 'accepted') p
"""

DROP = [
    *(f"DROP TRIGGER IF EXISTS datasets_summary_{table}_{event} ON datasets_{table}"
      for table in FUNCTIONS for event in EVENTS),
    "DROP FUNCTION IF EXISTS datasets_summary_values_changed()",
    "DROP FUNCTION IF EXISTS datasets_summary_returns_changed()",
    "DROP FUNCTION IF EXISTS datasets_summary_refresh(bigint[], bigint[])",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The first fill reads every stored value once: 4.8 million take about a minute, past the
    # 30 s statement limit the portal sets for requests (DB_STATEMENT_TIMEOUT_MS).
    for statement in (REFRESH, VALUES_CHANGED, RETURNS_CHANGED, *TRIGGERS, "SET LOCAL statement_timeout = 0", FILL):
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [("datasets", "0007_value_total_figures")]

    operations = [
        migrations.CreateModel(
            name='PartnershipSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('contributors', models.PositiveIntegerField()),
                ('median', models.FloatField(null=True)),
                ('numerator_total', models.DecimalField(decimal_places=4, max_digits=30, null=True)),
                ('denominator_total', models.DecimalField(decimal_places=4, max_digits=30, null=True)),
                ('counted', models.PositiveIntegerField()),
                ('value_total', models.DecimalField(decimal_places=4, max_digits=30, null=True)),
                ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='datasets.indicator')),
                ('quarter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='datasets.quarter')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('quarter', 'indicator'), name='summary_unique_quarter_indicator')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
