"""The partnership's figures kept by PostgreSQL (``PartnershipSummary``, migration
``datasets/0008``) stay equal to the same figures worked out from the stored values, after every
kind of write: the return workflow (accept, reopen), a correction, a delete, a bulk COPY, a
return inserted after its values, and two returns accepted at the same moment.

The reference is the aggregate the dashboards ran before the summary existed: one GROUP BY over
every accepted total, with PostgreSQL's own median."""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from datasets import dashboard_selectors as ds
from datasets.models import PartnershipSummary, Return, ReturnValue
from safeguarding.workflow import ReturnStatus
from tests.factories import AgencyFactory

from .factories import make_dataset
from .test_pages import more_agencies

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite works the figures out live")

LIVE = """
SELECT r.quarter_id, v.indicator_id, count(v.value), percentile_cont(0.5) WITHIN GROUP (ORDER BY v.value),
       sum(v.numerator), sum(v.denominator), count(v.numerator), sum(v.value)
  FROM datasets_returnvalue v JOIN datasets_return r ON r.id = v.ret_id
 WHERE r.status = 'accepted' AND v.part_id IS NULL AND v.value IS NOT NULL
 GROUP BY r.quarter_id, v.indicator_id
"""


def live() -> dict[tuple[int, int], tuple]:
    with connection.cursor() as cursor:
        cursor.execute(LIVE)
        return {(row[0], row[1]): tuple(row[2:]) for row in cursor.fetchall()}


def kept() -> dict[tuple[int, int], tuple]:
    return {(s.quarter_id, s.indicator_id): (s.contributors, s.median, s.numerator_total, s.denominator_total,
                                             s.counted, s.value_total)
            for s in PartnershipSummary.objects.all()}


def assert_true() -> None:
    expected = live()
    assert expected, "the case must have accepted figures to compare"
    assert kept() == expected


@pytest.fixture
def dataset(world):
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 3)]
    return make_dataset(world.partnership, agencies, indicators=3, quarters=4)


@pytest.mark.django_db
def test_kept_from_the_first_insert(dataset):
    assert_true()
    assert len(kept()) == 4 * 3


@pytest.mark.django_db
def test_kept_through_the_workflow_corrections_and_deletes(dataset, world):
    from datasets import services

    quarter = dataset.last
    ret = Return.objects.get(agency=world.agency_b, quarter=quarter)
    before = kept()[(quarter.pk, dataset.indicators[1].pk)][0]
    services.return_reopen(actor=world.manager, ret=ret, comment="The count double-counted transfers.")
    assert kept()[(quarter.pk, dataset.indicators[1].pk)][0] == before - 1
    assert_true()
    # A draft's figures never count, whatever is written to them.
    ReturnValue.objects.filter(ret=ret).update(value=Decimal(999))
    assert_true()
    Return.objects.filter(pk=ret.pk).update(status=ReturnStatus.ACCEPTED)
    assert kept()[(quarter.pk, dataset.indicators[1].pk)][0] == before
    assert_true()
    # A correction to an accepted figure, one value deleted, a return deleted with its values.
    ReturnValue.objects.filter(ret__quarter=quarter, indicator=dataset.indicators[2]).update(value=Decimal(3))
    assert_true()
    ReturnValue.objects.filter(ret__agency=world.agency_a, ret__quarter=quarter,
                               indicator=dataset.indicators[0]).delete()
    assert_true()
    Return.objects.filter(agency=world.agency_a, quarter=dataset.quarters[0]).delete()
    assert_true()
    # The last accepted figure of a pair gone: its row goes too.
    ReturnValue.objects.filter(ret__quarter=dataset.quarters[1], indicator=dataset.indicators[1]).delete()
    assert (dataset.quarters[1].pk, dataset.indicators[1].pk) not in kept()
    assert_true()


@pytest.mark.django_db
def test_kept_through_a_bulk_copy_and_a_return_inserted_after_its_values(dataset, world):
    """Historical loads COPY their values (``datasets.services.figures._insert``); a restore may
    copy values before their returns (foreign keys are checked at commit)."""
    late, later = (AgencyFactory(partnership=world.partnership, name=name, slug=name.lower().replace(" ", "-"),
                                 agency_type=world.agency_a.agency_type) for name in ("Late Trust", "Later Trust"))
    ret = Return.objects.create(agency=late, quarter=dataset.quarters[0], status=ReturnStatus.ACCEPTED)
    rows = "".join(f"{ret.pk}\t{i.pk}\t{10 + k}\n" for k, i in enumerate(dataset.indicators))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert("COPY datasets_returnvalue (ret_id, indicator_id, value, value_computed, narrative,"
                                  " na_reason, na_note, source, updated_at) FROM STDIN", io.StringIO(
                                      rows.replace("\n", "\tf\t\t\t\t\t2025-05-01 09:00+00\n")))
    assert_true()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('datasets_return', 'id'))")
            new_id = cursor.fetchone()[0]
        ReturnValue.objects.create(ret_id=new_id, indicator=dataset.indicators[1], value=Decimal(7))
        Return.objects.create(id=new_id, agency=later, quarter=dataset.quarters[2], status=ReturnStatus.ACCEPTED,
                              historical=True)
    assert kept()[(dataset.quarters[2].pk, dataset.indicators[1].pk)][0] == 6
    assert_true()


@pytest.mark.django_db
def test_the_dashboards_read_the_kept_figures(dataset):
    indicators = {i.pk: i for i in dataset.indicators}
    figures = ds.aggregates(quarter_ids=[q.pk for q in dataset.quarters], indicators=indicators)
    for (quarter_id, indicator_id), (n, median, num, den, counted, _total) in live().items():
        figure = figures[(quarter_id, indicator_id)]
        assert (figure.count, figure.counted) == (n, counted)
        assert figure.median == Decimal(str(median)).quantize(Decimal("0.0001"))
        if indicators[indicator_id].unit == "percentage" and counted == n:
            assert figure.pooled == (num / den * 100).quantize(figure.pooled)


@pytest.mark.django_db(transaction=True)
def test_two_returns_accepted_at_once_both_count(world):
    """Without the per-quarter lock each acceptance would work its rows out before the other
    committed, and the one that committed last would leave the other's figure out."""
    agencies = [world.agency_a, world.agency_b, *more_agencies(world, 2)]
    dataset = make_dataset(world.partnership, agencies, indicators=2, quarters=1)
    first, second = Return.objects.filter(quarter=dataset.last)[:2]
    Return.objects.filter(pk__in=[first.pk, second.pk]).update(status=ReturnStatus.SUBMITTED)
    waited, failed = [], []

    def accept_second():
        try:
            with transaction.atomic():
                Return.objects.filter(pk=second.pk).update(status=ReturnStatus.ACCEPTED)
        except Exception as error:  # noqa: BLE001 - the main thread asserts there was none
            failed.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        Return.objects.filter(pk=first.pk).update(status=ReturnStatus.ACCEPTED)
        other = threading.Thread(target=accept_second)
        other.start()
        other.join(timeout=1.5)
        waited.append(other.is_alive())  # held by this transaction's lock on the quarter
    other.join(timeout=30)
    assert waited == [True]
    assert not other.is_alive() and not failed  # without the lock: a duplicate summary row, refused
    assert_true()
    assert all(row[0] == 4 for row in kept().values())
