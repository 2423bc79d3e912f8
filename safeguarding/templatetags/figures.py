"""``{% load figures %}``: the one figure formatter (``safeguarding.formatting``) for templates.

Never ``floatformat`` or hand-made suffixes on a figure: use these.

- ``{{ value|figure:indicator }}`` — "85.3%", "42.1 per 10,000 children", "12 days", "£12,500";
  the argument is an indicator (its unit and decimals) or a unit code ("percentage", "pounds").
- ``{{ value|money }}`` / ``{{ value|pct }}`` / ``{{ value|count }}`` — shorthands for figures
  that have no indicator (budget lines, attendance, compliance).
- ``{% figure_status value indicator reason note %}`` — "n/a" when a reason is given.
- ``{{ reason|na_reason:note }}`` — the footnote text for a figure that is not available.
- ``{% movement previous current indicator %}`` — "↑ 5.2 percentage points (better)".
- ``{% comparator "England" "2015/16" value indicator %}`` — "England 2015/16: 42.4%".
- ``{{ indicator|unit_header }}`` — "%", "per 10,000 children", for a column header.
"""

from __future__ import annotations

from django import template

from safeguarding import formatting

register = template.Library()


@register.filter
def figure(value, subject="count") -> str:
    """``formatting.format_figure(value, subject)``."""
    return formatting.format_figure(value, subject or "count")


@register.filter
def money(value) -> str:
    """Pounds, 0 decimals: "£12,500"."""
    return formatting.format_figure(value, formatting.POUNDS)


@register.filter
def pct(value) -> str:
    """A percentage (0–100), 1 decimal: "85.3%"."""
    return formatting.format_figure(value, formatting.PERCENTAGE)


@register.filter
def count(value) -> str:
    """A count, 0 decimals, thousands separated: "1,234"."""
    return formatting.format_figure(value, formatting.COUNT)


@register.filter
def na_reason(reason, note="") -> str:
    """The footnote text for a figure that is not available: "Suppressed at source: …"."""
    return formatting.reason_label(reason, note or "")


@register.filter
def unit_header(subject) -> str:
    """The unit for a column header: "%", "per 10,000 children", "days", "£", "number"."""
    return formatting.unit_header(subject)


@register.simple_tag
def figure_status(value, subject="count", reason=None, note="") -> str:
    """"n/a" when ``reason`` is given, else the formatted figure."""
    return formatting.format_status(value, subject, reason=reason or None, note=note or "")


@register.simple_tag
def movement(previous, current, subject="count", polarity=None) -> str:
    """"↑ 5.2 percentage points (better)", "no change", or "–" when either figure is missing."""
    return formatting.format_movement(previous, current, subject, polarity=polarity)


@register.simple_tag
def comparator(kind, year, value=None, subject="count", reason=None) -> str:
    """"England 2015/16: 42.4%" (or the label alone without a value)."""
    return formatting.comparator_label(str(kind), str(year), value, subject, reason=reason or None)
