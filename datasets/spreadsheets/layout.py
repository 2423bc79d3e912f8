"""The columns of a returns spreadsheet, shared by the download and both uploads."""

# The data sheet's name in the download; an upload reads the sheet of this name first.
SHEET = "Return"

# Read back on upload, in this order.
COLUMN_TITLES = ["agency", "quarter", "code", "part", "value", "numerator", "denominator", "narrative",
                 "not available because", "not available note", "source", "source date"]
REQUIRED = ["agency", "quarter", "code", "value"]
FIGURE_COLUMNS = ("value", "numerator", "denominator", "narrative", "not available because", "not available note",
                  "source", "source date")
# A column's title in the spreadsheet -> the figures engine's key (services.figures.COLUMNS).
ENTRY_KEYS = {"not available because": "na_reason", "not available note": "na_note", "source date": "source_date"}
# Written for the reader's information and never read on upload (``read_table``'s ``ignored``: a
# formula a person puts there refuses nothing).
INFO_COLUMNS = ["indicator", "unit", "numerator is", "denominator is", "target", "figure when downloaded"]
OPTIONAL = [c for c in COLUMN_TITLES if c not in REQUIRED]
