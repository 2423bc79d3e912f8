from __future__ import annotations

from django.utils import timezone

from safeguarding.periods import FinancialYear

SUBMITTING = ("submitter", "designated", "manager", "admin")


def chosen_year(request) -> FinancialYear:
    """The financial year asked for in ``?year=2024/25``; this year when absent or unreadable."""
    try:
        return FinancialYear.parse(request.GET.get("year", ""))
    except ValueError:
        return FinancialYear.containing(timezone.localdate())


def year_choices(current: FinancialYear, back: int = 4) -> list[FinancialYear]:
    this = FinancialYear.containing(timezone.localdate())
    years = [FinancialYear(this.start_year - n) for n in range(back + 1)]
    if current not in years:
        years.append(current)
    return years
