import datetime as dt

from safeguarding.working_days import add_working_days, is_working_day, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2024, 12, 25))  # Christmas Day
    assert not is_working_day(dt.date(2024, 12, 26))  # Boxing Day
    assert not is_working_day(dt.date(2025, 5, 5))  # Early May bank holiday
    assert not is_working_day(dt.date(2025, 5, 3))  # Saturday
    assert is_working_day(dt.date(2025, 5, 6))


def test_scottish_holidays_do_not_count_in_england():
    assert is_working_day(dt.date(2025, 1, 2))  # a bank holiday in Scotland only
    assert is_working_day(dt.date(2024, 11, 29))  # close to St Andrew's Day, but England works


def test_adding_working_days_skips_a_bank_holiday_monday():
    friday = dt.date(2025, 4, 18)  # Good Friday itself
    assert add_working_days(friday, 1) == dt.date(2025, 4, 22)  # Easter Monday skipped
    assert add_working_days(dt.date(2025, 5, 2), 1) == dt.date(2025, 5, 6)


def test_twenty_working_days_from_the_inspection_report():
    # Published Monday 29 January 2018: 20 working days later is Monday 26 February.
    assert add_working_days(dt.date(2018, 1, 29), 20) == dt.date(2018, 2, 26)
    # Over Christmas the deadline moves by the bank holidays.
    assert add_working_days(dt.date(2024, 12, 20), 6) == dt.date(2025, 1, 2)


def test_backwards_and_counting_between():
    assert add_working_days(dt.date(2025, 5, 6), -1) == dt.date(2025, 5, 2)
    assert add_working_days(dt.date(2025, 5, 6), 0) == dt.date(2025, 5, 6)
    assert working_days_between(dt.date(2018, 1, 29), dt.date(2018, 2, 26)) == 20
    assert working_days_between(dt.date(2018, 2, 26), dt.date(2018, 1, 29)) == -20


def test_a_weekend_or_bank_holiday_moves_to_the_next_working_day():
    from safeguarding.working_days import working_day_on_or_after

    assert working_day_on_or_after(dt.date(2025, 7, 12)) == dt.date(2025, 7, 14)  # Saturday to Monday
    assert working_day_on_or_after(dt.date(2025, 10, 12)) == dt.date(2025, 10, 13)  # Sunday to Monday
    assert working_day_on_or_after(dt.date(2025, 8, 23)) == dt.date(2025, 8, 26)  # past the bank holiday
    assert working_day_on_or_after(dt.date(2025, 7, 15)) == dt.date(2025, 7, 15)  # a Tuesday stays
