"""The business manager's catalogue: indicators and their parts, targets, comparators."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from partners.models import AgencyType, Partnership
from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse
from safeguarding.formatting import NA_REASONS
from safeguarding.periods import FinancialYear

from ..models import RATIO_UNITS, BreakdownPart, Comparator, ComparatorKind, Indicator, Target, Unit
from .parsing import NotANumber, parse_figure, published_symbol
from .quarters import _require_manager

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
INDICATOR_FIELDS = ("code", "name", "definition", "domain", "unit", "numerator_label", "denominator_label",
                    "polarity", "agency_types", "breakdown_label", "required", "active_from", "active_to", "order",
                    "decimals", "min_abs_change", "training_level")


def _min_change(value) -> Decimal | None:
    """The indicator's minimum movement for a narrative (issue 13.7), read like any typed figure."""
    number = parse_figure(value, field="min_abs_change", label="The smallest movement that needs a narrative",
                          percent_ok=True)
    if number is not None and number < 0:
        raise DomainError("The smallest movement that needs a narrative cannot be negative.", field="min_abs_change")
    return number


def _check_indicator(indicator: Indicator, parts: list[str]) -> None:
    if not CODE_RE.match(indicator.code or ""):
        raise DomainError("The code may use letters, numbers, dots, dashes and underscores, up to 40 "
                          "characters, starting with a letter or number.", field="code")
    unknown = [t for t in indicator.agency_types if t not in AgencyType.values]
    if unknown:
        raise DomainError(f"Unknown agency types: {', '.join(unknown)}.", field="agency_types")
    if not indicator.agency_types:
        raise DomainError("Choose at least one type of agency that reports this indicator.", field="agency_types")
    if indicator.unit in RATIO_UNITS and not (indicator.numerator_label and indicator.denominator_label):
        raise DomainError("A percentage or rate needs numerator and denominator labels: the portal works the "
                          "figure out from them.", field="numerator_label")
    if indicator.unit not in RATIO_UNITS:
        indicator.numerator_label = indicator.denominator_label = ""
    if parts and indicator.unit != Unit.COUNT:
        raise DomainError("Only a count can have a breakdown.", field="breakdown_label")
    if parts and not indicator.breakdown_label:
        raise DomainError("Say what the parts of the breakdown are (e.g. 'Category of abuse').",
                          field="breakdown_label")
    if indicator.breakdown_label and len(parts) < 2:
        raise DomainError("A breakdown needs at least two parts, one per line.", field="parts")
    codes = [slugify(p).upper() for p in parts]
    if len(set(codes)) != len(codes) or not all(codes):
        raise DomainError("Each part of the breakdown needs a different name.", field="parts")
    full_clean_or_refuse(indicator, exclude=["partnership"], validate_unique=False, validate_constraints=False)
    if indicator.training_level and indicator.unit != Unit.PERCENTAGE:
        raise DomainError("Only a percentage can be filled from training returns.", field="training_level")
    if indicator.decimals is not None and not 0 <= indicator.decimals <= 4:
        raise DomainError("Show between 0 and 4 decimals, or leave it blank for the unit's usual number.",
                          field="decimals")
    if indicator.active_from and indicator.active_to and indicator.active_to < indicator.active_from:
        raise DomainError("The end date must be on or after the start date.", field="active_to")


def _set_parts(indicator: Indicator, labels: list[str]) -> None:
    existing = {p.code: p for p in indicator.parts.all()}
    wanted = []
    for order, label in enumerate(labels):
        code = slugify(label).upper()[:40]
        part = existing.pop(code, None) or BreakdownPart(indicator=indicator, code=code)
        part.label, part.order = label.strip(), order
        wanted.append(part)
    for part in existing.values():
        try:
            part.delete()
        except ProtectedError:
            raise DomainError(f"The part ‘{part.label}’ already holds figures in returns, so it cannot be "
                              "removed. Set the indicator's end date and create a new one instead.",
                              field="parts") from None
    for part in wanted:
        part.save()


def indicator_create(*, actor, partnership: Partnership, code: str, name: str, domain: str, unit: str,
                     polarity: str = "higher", agency_types: list[str], definition: str = "",
                     numerator_label: str = "", denominator_label: str = "", breakdown_label: str = "",
                     parts: list[str] | None = None, required: bool = True, active_from: dt.date | None = None,
                     active_to: dt.date | None = None, order: int = 0, decimals: int | None = None,
                     min_abs_change=None, training_level: str = "") -> Indicator:
    """Add an indicator to the partnership's catalogue (with its breakdown parts, in order).
    ``decimals`` overrides the unit's usual decimals (``safeguarding.formatting``); ``min_abs_change``
    is the smallest movement, in the indicator's unit, that can need a narrative (issue 13.7)."""
    _require_manager(actor, partnership.pk)
    parts = [p.strip() for p in (parts or []) if p.strip()]
    indicator = Indicator(partnership=partnership, code=(code or "").strip().upper(), name=name.strip(),
                          definition=definition.strip(), domain=domain, unit=unit, polarity=polarity,
                          agency_types=sorted(set(agency_types)), numerator_label=numerator_label.strip(),
                          denominator_label=denominator_label.strip(), breakdown_label=breakdown_label.strip(),
                          required=required, active_from=active_from, active_to=active_to, order=order,
                          decimals=decimals, min_abs_change=_min_change(min_abs_change),
                          training_level=(training_level or "").strip())
    _check_indicator(indicator, parts)
    try:
        with transaction.atomic():
            indicator.save()
            _set_parts(indicator, parts)
            audit_record(actor=actor, action="indicator.created", obj=indicator, partnership=partnership,
                         after=snapshot(indicator, INDICATOR_FIELDS) | {"parts": parts})
    except IntegrityError:
        raise DomainError(f"An indicator with the code {indicator.code} already exists.", field="code") from None
    return indicator


def indicator_update(*, actor, indicator: Indicator, version: str | None, parts: list[str] | None = None,
                     **changes) -> Indicator:
    """Change an indicator. ``version`` is the form's token: a stale edit saves nothing.
    The unit cannot change once returns hold figures for it (they would be misread)."""
    _require_manager(actor, indicator.partnership_id)
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown indicator fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        ensure_current(current=locked.updated_at, token=version, what="indicator")
        before = snapshot(locked, INDICATOR_FIELDS)
        old_parts = [p.label for p in locked.parts.all()]
        if "unit" in changes and changes["unit"] != locked.unit and locked.values.exists():
            raise DomainError("Returns already hold figures for this indicator, so its unit cannot change. "
                              "Set its end date and create a new indicator instead.", field="unit")
        for name, value in changes.items():
            if isinstance(value, str) and name not in ("domain", "unit", "polarity"):
                value = value.strip()
            if name == "code":
                value = value.upper()
            if name == "agency_types":
                value = sorted(set(value))
            if name == "min_abs_change":
                value = _min_change(value)
            setattr(locked, name, value)
        new_parts = old_parts if parts is None else [p.strip() for p in parts if p.strip()]
        _check_indicator(locked, new_parts)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError:
            raise DomainError(f"An indicator with the code {locked.code} already exists.", field="code") from None
        if parts is not None:
            _set_parts(locked, new_parts)
        audit_record(actor=actor, action="indicator.updated", obj=locked, partnership=locked.partnership,
                     before=before | {"parts": old_parts},
                     after=snapshot(locked, INDICATOR_FIELDS) | {"parts": new_parts})
    return locked


def _figure(text, *, indicator: Indicator, field: str, label: str, symbols: bool = False) -> Decimal | None:
    try:
        return parse_figure(text, percent_ok=indicator.unit == Unit.PERCENTAGE,
                            pounds_ok=indicator.unit == Unit.POUNDS, field=field, label=label, symbols=symbols)
    except NotANumber as exc:
        raise DomainError(exc.message, field=field) from None


def target_set(*, actor, indicator: Indicator, year: FinancialYear | int, target, amber_threshold=None,
               effective_from: dt.date | None = None, note: str = "") -> Target:
    """Set the target (and amber threshold) for a financial year, from ``effective_from`` (the
    year's start by default). A row with the same year and date is replaced; an earlier row of the
    year stays, so the quarters before the change keep their RAG."""
    _require_manager(actor, indicator.partnership_id)
    year = year if isinstance(year, FinancialYear) else FinancialYear(int(year))
    target = _figure(target, indicator=indicator, field="target", label="The target")
    if target is None:
        raise DomainError("Enter the target.", field="target")
    threshold = _figure(amber_threshold, indicator=indicator, field="amber_threshold", label="The amber threshold")
    if threshold is not None:
        wrong_side = threshold > target if indicator.polarity == "higher" else threshold < target
        if wrong_side:
            side = "at or below" if indicator.polarity == "higher" else "at or above"
            raise DomainError(f"The amber threshold must be {side} the target, since "
                              f"{indicator.get_polarity_display().lower()}.", field="amber_threshold")
    effective_from = effective_from or year.start
    if not (year.start <= effective_from <= year.end):
        raise DomainError(f"The date the target applies from must fall within {year.label}.", field="effective_from")
    with transaction.atomic():
        row, created = Target.objects.select_for_update().get_or_create(
            indicator=indicator, year_start=year.start_year, effective_from=effective_from,
            defaults={"target": target, "amber_threshold": threshold, "note": note.strip()})
        before = None if created else {"target": row.target, "amber_threshold": row.amber_threshold}
        if not created:
            row.target, row.amber_threshold, row.note = target, threshold, note.strip()
            row.save()
        audit_record(actor=actor, action="target.set", obj=indicator, partnership=indicator.partnership,
                     before=before, after={"year": year.label, "effective_from": effective_from, "target": target,
                                           "amber_threshold": threshold})
    return row


def target_delete(*, actor, target: Target) -> None:
    """Remove a target row entered by mistake."""
    indicator = target.indicator
    _require_manager(actor, indicator.partnership_id)
    with transaction.atomic():
        audit_record(actor=actor, action="target.deleted", obj=indicator, partnership=indicator.partnership,
                     before={"year": target.year_label, "effective_from": target.effective_from,
                             "target": target.target, "amber_threshold": target.amber_threshold})
        target.delete()


def comparator_set(*, actor, indicator: Indicator, year: FinancialYear | int, kind: str, value,
                   source: str = "", part: BreakdownPart | None = None, na_reason: str = "",
                   na_note: str = "") -> Comparator | None:
    """Enter (or replace) the England, region or statistical-neighbour figure for a year, for the
    indicator or for one ``part`` of its breakdown (issue 13.3). ``na_reason`` (a key of
    ``safeguarding.formatting.NA_REASONS``) records that the comparator is not available, with an
    optional ``na_note``, instead of a value (issue 13.1). A blank value without a reason removes
    it. Raises ``DomainError`` naming the field."""
    _require_manager(actor, indicator.partnership_id)
    year = year if isinstance(year, FinancialYear) else FinancialYear(int(year))
    if kind not in ComparatorKind.values:
        raise DomainError("Choose England, region or statistical neighbours.", field="kind")
    if part is not None and part.indicator_id != indicator.pk:
        raise DomainError(f"‘{part.label}’ is not a part of {indicator.code}'s breakdown.", field="part")
    symbol = published_symbol(value)
    if symbol is not None:  # "c" typed from a published table: suppressed at source
        value, na_reason = None, na_reason or symbol
    number = _figure(value, indicator=indicator, field="value", label="The comparator", symbols=True)
    if na_reason and na_reason not in NA_REASONS:
        raise DomainError("Say why the comparator is not available: "
                          + ", ".join(v.lower() for v in NA_REASONS.values()) + ".", field="na_reason")
    if na_reason and number is not None:
        raise DomainError("A comparator that is not available has no figure: clear the figure or the reason.",
                          field="value")
    with transaction.atomic():
        existing = Comparator.objects.select_for_update().filter(indicator=indicator, part=part,
                                                                 year_start=year.start_year, kind=kind).first()
        before = {"value": existing.value, "na_reason": existing.na_reason} if existing else None
        if number is None and not na_reason:
            if existing:
                existing.delete()
            row = None
        else:
            row = existing or Comparator(indicator=indicator, part=part, year_start=year.start_year, kind=kind)
            row.value, row.source = number, source.strip()[:300]
            row.na_reason, row.na_note = na_reason, na_note.strip()[:300]
            row.save()
        audit_record(actor=actor, action="comparator.set", obj=indicator, partnership=indicator.partnership,
                     before=before, after={"year": year.label, "kind": kind, "value": number,
                                           "part": part.label if part else None, "na_reason": na_reason})
    return row
