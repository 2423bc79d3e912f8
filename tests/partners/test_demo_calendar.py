import datetime as dt

from partners.demo import demo_calendar


def test_the_demo_is_anchored_to_today():
    calendar = demo_calendar(dt.date(2026, 11, 23))
    assert calendar.current.label == "2026/27-Q2"  # Jul-Sep ended; its returns are being gathered
    assert calendar.years == (2024, 2025)
    assert [p.label for p in calendar.periods][0] == "2024/25-Q1"
    assert [p.label for p in calendar.periods][-2:] == ["2026/27-Q1", "2026/27-Q2"]
    assert calendar.report_year.label == "2025/26"
    assert calendar.shift(2023) == 2024


def test_demo_today_can_be_set(monkeypatch):
    monkeypatch.setenv("DEMO_TODAY", "2025-05-10")
    calendar = demo_calendar()
    assert calendar.current.label == "2024/25-Q4" and calendar.years == (2022, 2023)
