"""Reading typed figures and dates: the rules live in ``safeguarding.parsing``, shared by every
app's forms and uploads (the budget, training targets and course charges read "£1,200" and "90%"
the same way as a return). This module keeps the name datasets imports them by."""

from safeguarding.parsing import (
    PUBLISHED_SYMBOLS,
    NotANumber,
    format_figure,
    parse_date,
    parse_figure,
    published_symbol,
)

__all__ = ["PUBLISHED_SYMBOLS", "NotANumber", "format_figure", "parse_date", "parse_figure", "published_symbol"]
