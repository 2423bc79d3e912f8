import datetime as dt

import pytest

from reviews.rag import action_rag, is_overdue

TODAY = dt.date(2025, 6, 2)
START = dt.date(2025, 1, 1)


@pytest.mark.parametrize(("status", "due", "expected"), [
    ("in_progress", dt.date(2025, 6, 1), "red"),  # overdue by a day
    ("not_started", dt.date(2025, 5, 1), "red"),
    ("not_achieved", dt.date(2026, 1, 1), "red"),
    ("in_progress", dt.date(2025, 6, 2), "amber"),  # due today is not yet overdue
    ("in_progress", dt.date(2025, 6, 16), "amber"),  # within 14 days
    ("in_progress", dt.date(2025, 6, 17), "green"),
    ("not_started", dt.date(2025, 12, 1), "amber"),  # should have started by now
    ("completed", dt.date(2025, 5, 1), "green"),  # delivered, waiting for assurance: not overdue
    ("assured", dt.date(2025, 5, 1), "blue"),
    ("superseded", dt.date(2025, 5, 1), "grey"),
])
def test_rag_follows_status_and_dates(status, due, expected):
    assert action_rag(status=status, start_on=START, due_on=due, today=TODAY) == expected


def test_not_started_in_the_future_is_green():
    assert action_rag(status="not_started", start_on=dt.date(2025, 7, 1), due_on=dt.date(2025, 12, 1),
                      today=TODAY) == "green"


def test_only_open_actions_are_overdue():
    past = dt.date(2025, 1, 1)
    assert is_overdue(status="in_progress", due_on=past, today=TODAY)
    assert not is_overdue(status="completed", due_on=past, today=TODAY)
    assert not is_overdue(status="assured", due_on=past, today=TODAY)
