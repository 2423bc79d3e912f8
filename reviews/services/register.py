"""The review register and its recommendations, one by one or from a spreadsheet."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from partners.access import require_manager
from partners.lifecycle import require_active
from partners.models import Agency, AgencyAlias, Partnership, User
from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.errors import DomainError, full_clean_or_refuse
from safeguarding.upload_preview import Change, UploadChanges
from safeguarding.uploads import RowError, read_table, word_key

from ..addressees import group_code_label, group_words, split_code
from ..models import Recommendation, RecommendationGroup, Review, Theme
from ..models.register import number_sort_key
from .drafts import draft_actions_create

REVIEW_FIELDS = ("review_type", "title", "lead_partnership", "notified_on", "commissioned_on", "started_on",
                 "completed_on", "published_on", "publication_status", "status", "summary",
                 "action_plan_working_days", "themes", "agencies")
RECOMMENDATION_FIELDS = ("number", "text", "theme", "source_paragraph", "addressees")
NUMBER_RE = re.compile(r"^\d+(\.\d+)*[a-z]?$", re.I)


def require_keeper(actor: User | None, partnership: Partnership) -> None:
    require_manager(actor, partnership.pk, "Only the partnership's business manager can change the review register.")


def themes_from_names(partnership: Partnership, names: Iterable[str]) -> list[Theme]:
    out = []
    for name in names:
        name = " ".join(name.split())[:120]
        if name:
            theme, _ = Theme.objects.get_or_create(partnership=partnership, name__iexact=name,
                                                   defaults={"name": name})
            out.append(theme)
    return out


def _check_dates(review: Review) -> None:
    order = [("notified_on", "notified"), ("commissioned_on", "commissioned"), ("started_on", "started"),
             ("completed_on", "completed")]
    previous = None
    for field, label in order:
        value = getattr(review, field)
        if value is None:
            continue
        if previous and value < previous[1]:
            raise DomainError(f"The date {label} cannot be before the date {previous[0]}.", field=field)
        previous = (label, value)
    if review.published_on and review.completed_on and review.published_on < review.completed_on:
        raise DomainError("The publication date cannot be before the date completed.", field="published_on")


def _check_agencies(partnership: Partnership, agencies: Iterable[Agency], field: str) -> None:
    for agency in agencies:
        if agency.partnership_id != partnership.pk:
            raise DomainError("That agency belongs to another partnership.", field=field)


def _title_taken(partnership: Partnership, title: str, exclude_pk=None) -> bool:
    qs = Review.objects.filter(partnership=partnership, title__iexact=title.strip())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def review_create(*, actor: User | None, partnership: Partnership, review_type: str, title: str,
                  agencies: Iterable[Agency] = (), themes: Iterable[Theme] = (), **fields) -> Review:
    require_keeper(actor, partnership)
    agencies, themes = list(agencies), list(themes)
    _check_agencies(partnership, agencies, "agencies")
    if _title_taken(partnership, title):
        raise DomainError("A review with this title is already in the register.", field="title")
    review = Review(partnership=partnership, review_type=review_type, title=title.strip(),
                    created_by=actor if actor else None, **fields)
    _check_dates(review)
    full_clean_or_refuse(review)
    review.save()
    review.agencies.set(agencies)
    review.themes.set(themes)
    audit_record(actor=actor, action="review.created", obj=review, partnership=partnership,
                 after=snapshot(review, REVIEW_FIELDS))
    return review


@transaction.atomic
def review_update(*, actor: User, review: Review, version: str, agencies: Iterable[Agency] | None = None,
                  themes: Iterable[Theme] | None = None, **changes) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    require_keeper(actor, review.partnership)
    ensure_current(current=review.updated_at, token=version, what="review")
    before = snapshot(review, REVIEW_FIELDS)
    for field, value in changes.items():
        if field not in REVIEW_FIELDS:
            raise TypeError(f"review_update got an unexpected field {field!r}")
        setattr(review, field, value)
    if "title" in changes and _title_taken(review.partnership, review.title, exclude_pk=review.pk):
        raise DomainError("A review with this title is already in the register.", field="title")
    _check_dates(review)
    full_clean_or_refuse(review)
    review.save()
    if agencies is not None:
        agencies = list(agencies)
        _check_agencies(review.partnership, agencies, "agencies")
        review.agencies.set(agencies)
    if themes is not None:
        review.themes.set(list(themes))
    audit_record(actor=actor, action="review.updated", obj=review, before=before,
                 after=snapshot(review, REVIEW_FIELDS))
    return review


def _check_number(review: Review, number: str) -> str:
    number = number.strip()
    if not NUMBER_RE.match(number):
        raise DomainError("Enter the recommendation's number as it appears in the report, like 5.6.",
                          field="number")
    if review.recommendations.filter(number__iexact=number).exists():
        raise DomainError(f"Recommendation {number} is already recorded for this review.", field="number")
    return number


def _check_named_active(named: list[Agency], made_on: dt.date) -> None:
    """A named addressee must be active on the recommendation's date (issue 12.6, through
    ``partners.lifecycle``); the message names its successor when it has one."""
    for agency in named:
        require_active(agency, made_on, what=f"a recommendation made on {made_on:%-d %B %Y}", field="addressees")


def _check_groups(codes: Iterable[str]) -> list[str]:
    out = []
    for code in codes:
        try:
            group_code_label(code)
        except ValueError:
            raise DomainError(f"‘{code}’ is not a group a recommendation can be addressed to.", field="groups")
        if code not in out:
            out.append(code)
    return out


@transaction.atomic
def recommendation_create(*, actor: User | None, review: Review, number: str, text: str,
                          addressees: Iterable[Agency] = (), groups: Iterable[str] = (),
                          made_on: dt.date | None = None, theme: Theme | None = None,
                          source_paragraph: str = "") -> Recommendation:
    """Record a recommendation and make a draft action for every agency it addresses (16.4).

    ``addressees`` are agencies named one by one; ``groups`` are group codes (``partnership``,
    ``all_members``, ``health_providers``, ``type:<AgencyType value>``, see ``reviews.addressees``).
    ``made_on`` is the date the recommendation was made (default: the review's report date, else
    today); a group holds the agencies active on that day. Raises ``DomainError`` (field
    ``addressees``) when there is no addressee or a named agency was not active on ``made_on``.
    """
    review = Review.objects.select_for_update().get(pk=review.pk)
    require_keeper(actor, review.partnership)
    number = _check_number(review, number)
    addressees = list(addressees)
    groups = _check_groups(groups)
    if not addressees and not groups:
        raise DomainError("Choose who the recommendation is addressed to: a group, or one or more agencies.",
                          field="addressees")
    _check_agencies(review.partnership, addressees, "addressees")
    made_on = made_on or review.report_date or timezone.localdate()
    _check_named_active(addressees, made_on)
    rec = Recommendation(review=review, number=number, sort_key=number_sort_key(number), text=text.strip(),
                         theme=theme, source_paragraph=source_paragraph.strip(), made_on=made_on)
    full_clean_or_refuse(rec)
    rec.save()
    rec.addressees.set(addressees)
    for code in groups:
        kind, agency_type = split_code(code)
        group = RecommendationGroup(recommendation=rec, kind=kind, agency_type=agency_type)
        group.full_clean()
        group.save()
    review.agencies.add(*addressees)
    audit_record(actor=actor, action="recommendation.created", obj=rec, partnership=review.partnership,
                 after={**snapshot(rec, RECOMMENDATION_FIELDS), "groups": groups})
    draft_actions_create(actor=actor, recommendation=rec)
    return rec


def _agency_lookup(partnership: Partnership) -> dict[str, Agency]:
    """Agency names and aliases, case- and space-insensitive, for matching spreadsheet text."""
    lookup: dict[str, Agency] = {}
    agencies = list(Agency.objects.filter(partnership=partnership))
    for alias in AgencyAlias.objects.filter(agency__partnership=partnership).select_related("agency"):
        lookup[_key(alias.name)] = alias.agency
    for agency in agencies:  # a real name wins over someone else's alias
        lookup[_key(agency.name)] = agency
    return lookup


def _key(text: str) -> str:
    return word_key(text)


def _match_addressees(text: str, lookup: dict[str, Agency],
                      groups: dict[str, str]) -> tuple[list[Agency], list[str], list[str]]:
    """Split on semicolons or new lines; a part that is neither an agency (name or alias) nor a
    group's words ("all member agencies", "the partnership", "all schools") is tried again split
    on commas (agency names may contain commas, so commas are the second choice).

    Returns (agencies, group codes, the parts recognised as neither). An agency's own name wins
    over a group's words."""
    found: list[Agency] = []
    codes: list[str] = []
    unknown: list[str] = []

    def take(piece: str) -> bool:
        if _key(piece) in lookup:
            found.append(lookup[_key(piece)])
        elif _key(piece) in groups:
            codes.append(groups[_key(piece)])
        else:
            return False
        return True

    for part in re.split(r"[;\n]+", text):
        part = part.strip()
        if not part or take(part):
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if len(pieces) > 1 and all(_key(p) in lookup or _key(p) in groups for p in pieces):
            for piece in pieces:
                take(piece)
        else:
            unknown.append(part)
    return list(dict.fromkeys(found)), list(dict.fromkeys(codes)), unknown


def made_on_for_import(review: Review, today: dt.date | None) -> dt.date:
    """An uploaded recommendation is dated by its review's report, else the day of the upload."""
    return review.report_date or today or timezone.localdate()


RECOMMENDATIONS_SHEET = "Recommendations"
RECOMMENDATION_COLUMNS = ["number", "text", "addressed to", "theme", "source paragraph"]


def recommendations_import(*, actor: User, review: Review, upload, today: dt.date | None = None) -> UploadChanges:
    """Add every row of a spreadsheet, or none: any refused row refuses the whole file.

    Columns: number, text, addressed to (agency names or aliases and group words such as "the
    partnership", "all member agencies", "all health providers", "all schools", separated by
    semicolons), optional theme and source paragraph. Each recommendation added gets its draft
    actions (``recommendation_create``). A row whose number is already recorded with the same
    text is unchanged (so uploading the same file again changes nothing); with a different text it
    is refused (change it on its page). Returns the recommendations added; raises
    ``UploadRejected`` listing every refused row."""
    require_keeper(actor, review.partnership)
    table = read_table(upload, required=["number", "text", "addressed to"],
                       optional=["theme", "source paragraph"], sheet=RECOMMENDATIONS_SHEET)
    lookup = _agency_lookup(review.partnership)
    groups = group_words(review.partnership)
    existing = {_key(n): _key(t) for n, t in review.recommendations.values_list("number", "text")}
    unchanged = 0
    seen: dict[str, int] = {}
    errors: list[RowError] = []
    parsed = []
    for row_number, row in table.numbered():
        number = row.get("number", "").strip()
        text = row.get("text", "").strip()
        row_errors = []
        if not number:
            row_errors.append(RowError(row_number, "number", "Enter the recommendation's number."))
        elif not NUMBER_RE.match(number):
            row_errors.append(RowError(row_number, "number", f"‘{number}’ is not a recommendation number "
                                                              f"like 5.6."))
        elif _key(number) in seen:
            # Excel keeps a number typed 1.10 as 1.1: say so where the number could be one.
            hint = (f" If one of them is {number}0, Excel turned it into {number}: format the number column "
                    "as Text and type it again." if re.fullmatch(r"\d+\.\d", number) else "")
            row_errors.append(RowError(row_number, "number", f"Number {number} is also on row "
                                                              f"{seen[_key(number)]}: each number once.{hint}"))
        elif _key(number) in existing and existing[_key(number)] != _key(text):
            row_errors.append(RowError(row_number, "number", f"Recommendation {number} is already recorded "
                                                              "for this review with a different text: change it "
                                                              "on its page, or remove the row."))
        if number:
            seen.setdefault(_key(number), row_number)
        if not text:
            row_errors.append(RowError(row_number, "text", "Enter the recommendation's text."))
        agencies, codes, unknown = _match_addressees(row.get("addressed to", ""), lookup, groups)
        if unknown:
            names = ", ".join(f"‘{u}’" for u in unknown)
            row_errors.append(RowError(row_number, "addressed to",
                                       f"No agency or group in the partnership is called {names}. Use an "
                                       f"agency's name or one of its other names, or a group such as ‘the "
                                       f"partnership’, ‘all member agencies’, ‘all health providers’ or "
                                       f"‘all schools’."))
        elif not agencies and not codes:
            row_errors.append(RowError(row_number, "addressed to", "Name at least one agency or group."))
        made_on = made_on_for_import(review, today)
        for agency in agencies if not unknown else ():
            try:
                _check_named_active([agency], made_on)
            except DomainError as error:
                row_errors.append(RowError(row_number, "addressed to", error.message))
        errors += row_errors
        if not row_errors and _key(number) in existing:
            unchanged += 1
        elif not row_errors:
            parsed.append((row_number, number, text, agencies, codes, row.get("theme", ""),
                           row.get("source paragraph", "")))
    if errors:
        raise table.reject(errors)
    changes = UploadChanges(singular="recommendation", unchanged=unchanged, what_heading="Recommendation")
    with transaction.atomic():
        for row_number, number, text, agencies, codes, theme_name, paragraph in parsed:
            themes = themes_from_names(review.partnership, [theme_name]) if theme_name else []
            rec = recommendation_create(actor=actor, review=review, number=number, text=text, addressees=agencies,
                                        groups=codes, made_on=made_on_for_import(review, today),
                                        theme=themes[0] if themes else None, source_paragraph=paragraph)
            shown = text if len(text) <= 80 else text[:77] + "…"
            to = "; ".join([g.label for g in rec.groups.all()] + [a.name for a in agencies])
            changes.added.append(Change(row_number, f"Recommendation {number}", None, f"{shown} (to {to})"))
        if parsed:
            audit_record(actor=actor, action="recommendation.imported", obj=review,
                         data={"rows": len(parsed), "file": getattr(upload, "name", "")})
    return changes
