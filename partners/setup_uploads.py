"""Setting a partnership up from spreadsheets (issue 12.2): its agencies, then its people.

Each importer reads the file with the shared reader (``safeguarding.uploads.read_table``), checks
every row, and only if no row is refused writes through the ordinary services
(``partners.services.agency_create`` / ``agency_update`` / ``person_create`` / ``person_update``),
so every rule, audit event and invitation is the same as when a person is added by hand. Run
through ``safeguarding.upload_preview`` the whole file is shown before saving, all or nothing,
every refused row listed with its row number and cell.

Agencies: a row whose name is already an agency's (case and spacing ignored) updates it; "parent"
and "replaced by" may name an agency already saved or any row of the same file. People: a row
whose email is already a person's of this partnership updates them; their agencies are read
through ``partners.lifecycle.NameIndex``, so a closed agency's old name means its successor, with a
note in the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from safeguarding.concurrency import version_token
from safeguarding.email_canonical import email_key
from safeguarding.errors import DomainError
from safeguarding.parsing import NotANumber, parse_date
from safeguarding.plurals import in_sentence
from safeguarding.upload_preview import Change, UploadChanges, changed_fields, counted
from safeguarding.uploads import RowError, read_table

from . import services
from .access import require_manager
from .lifecycle import NameIndex
from .models import Agency, AgencyType, Partnership, Role, User, name_key, tidy_name

AGENCY_SHEET = "Agencies"
AGENCY_COLUMNS = ["name", "type", "membership", "parent", "aliases", "active from", "active to", "replaced by"]
AGENCY_REQUIRED = ["name", "type"]
PEOPLE_SHEET = "People"
PEOPLE_COLUMNS = ["name", "email", "role", "agencies", "job title"]
PEOPLE_REQUIRED = ["name", "email", "role"]
LIST_SEPARATORS = (";", "|", "\n")

# The words a spreadsheet may use for a type, a place in the partnership or a role: the code,
# or the label shown in the portal, compared ignoring case and spacing.
AGENCY_TYPE_WORDS = {name_key(w): v for v, label in AgencyType.choices for w in (v, label)}
MEMBERSHIP_WORDS = {name_key(w): v for v, label in Agency.Membership.choices for w in (v, label)}
# An administrator (who can open the Django admin) is made one at a time, never by upload.
UPLOAD_ROLES = [r for r in Role.choices if r[0] != Role.ADMIN]
ROLE_WORDS = {name_key(w): v for v, label in UPLOAD_ROLES for w in (v, label)}
ROLE_WORDS.update({name_key("manager"): Role.BUSINESS_MANAGER, name_key("pci"): Role.PCI_MEMBER,
                   name_key("pci member"): Role.PCI_MEMBER,
                   name_key("designated nurse"): Role.DESIGNATED_PROFESSIONAL,
                   name_key("designated doctor"): Role.DESIGNATED_PROFESSIONAL})


def split_list(text: str) -> list[str]:
    """"NUH; NUHT" -> ["NUH", "NUHT"] (semicolons, bars or line breaks)."""
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [tidy_name(part) for part in text.split(LIST_SEPARATORS[0]) if tidy_name(part)]


def parse_day(text: str) -> dt.date:
    """A date as a spreadsheet gives it: 2022-07-01 (and Excel dates), 1/7/2022 (UK order) or
    1 July 2022, read by the one date reader (``safeguarding.parsing.parse_date``). Raises
    ValueError with a message a person can act on."""
    text = text.strip()
    try:
        day = parse_date(text)
    except NotANumber:
        day = None
    if day is None:
        raise ValueError(f"‘{text}’ is not a date: write it like 2022-07-01 or 1/7/2022.")
    return day


def _choices_text(words: list[tuple[str, str]]) -> str:
    return ", ".join(label for _, label in words)


# ---------------------------------------------------------------- agencies


@dataclass
class _AgencyRow:
    number: int
    name: str
    agency_type: str
    membership: str
    aliases: list[str]
    active_from: dt.date | None
    active_to: dt.date | None
    parent: str = ""
    replaced_by: str = ""
    existing: Agency | None = None
    notes: list[str] = field(default_factory=list)


def _read_agency_rows(table, index: NameIndex, partnership: Partnership) -> tuple[list[_AgencyRow], list[RowError]]:
    errors: list[RowError] = []
    rows: list[_AgencyRow] = []
    seen: dict[str, int] = {}
    by_exact = {name_key(a.name): a for a in index.names.values()}
    for number, cells in table.numbered():
        problems = []
        name = tidy_name(cells.get("name", ""))
        if not name:
            errors.append(RowError(number, "name", "Give the agency's name."))
            continue
        if len(name) > 200:
            problems.append(("name", "The name must be 200 characters or fewer."))
        key = name_key(name)
        if key in seen:
            errors.append(RowError(number, "name", f"This repeats row {seen[key]} (the same name, ignoring "
                                                   "capitals and spacing): keep one of them."))
            continue
        seen[key] = number
        existing = by_exact.get(key)
        if existing is None and index.get(name) is not None:
            other = index.get(name)
            problems.append(("name", f"‘{name}’ is another name of {other.name}: use {other.name} as the name, "
                                     "or remove that other name from it first."))
        type_text = cells.get("type", "")
        agency_type = AGENCY_TYPE_WORDS.get(name_key(type_text))
        if agency_type is None:
            problems.append(("type", f"‘{type_text}’ is not a type of agency (use one of: "
                                     f"{_choices_text(AgencyType.choices)})." if type_text else
                             "Give the type of agency."))
        membership_text = cells.get("membership", "")
        membership = (MEMBERSHIP_WORDS.get(name_key(membership_text)) if membership_text
                      else (existing.membership if existing else Agency.Membership.RELEVANT_AGENCY))
        if membership is None:
            problems.append(("membership", f"‘{membership_text}’ is neither ‘Statutory partner’ nor "
                                           "‘Relevant agency’."))
        days = {}
        for column in ("active from", "active to"):
            text = cells.get(column, "")
            try:
                days[column] = parse_day(text) if text else None
            except ValueError as exc:
                problems.append((column, str(exc)))
        if days.get("active from") and days.get("active to") and days["active to"] < days["active from"]:
            problems.append(("active to", "The end date must be on or after the start date."))
        aliases = split_list(cells.get("aliases", ""))
        for alias in aliases:
            owner = index.get(alias)
            if len(alias) > 200:
                problems.append(("aliases", f"‘{alias[:40]}…’: each other name must be 200 characters or fewer."))
            elif owner is not None and name_key(owner.name) != key:
                problems.append(("aliases", f"‘{alias}’ is already a name of {owner.name}."))
        if problems:
            errors.extend(RowError(number, column, message) for column, message in problems)
            continue
        rows.append(_AgencyRow(number, name, agency_type, membership, aliases, days["active from"],
                               days["active to"], tidy_name(cells.get("parent", "")),
                               tidy_name(cells.get("replaced by", "")), existing))
    return rows, errors


def _link(text: str, row: _AgencyRow, column: str, index: NameIndex, in_file: dict[str, _AgencyRow],
          errors: list[RowError]) -> Agency | str | None:
    """The agency (saved, or a row of this file by its key) a parent/replaced-by cell names."""
    if not text:
        return None
    key = name_key(text)
    if key == name_key(row.name):
        errors.append(RowError(row.number, column, "An agency cannot point to itself."))
        return None
    if key in in_file:
        return key
    agency = index.get(text)
    if agency is None:
        errors.append(RowError(row.number, column, f"‘{text}’ is neither an agency of this partnership nor a row "
                                                   "of this file."))
    return agency


def agencies_upload(*, actor: User | None, partnership: Partnership, upload) -> UploadChanges:
    """Add or update the partnership's agencies from the template (columns ``AGENCY_COLUMNS``).

    All or nothing: raises ``UploadRejected`` listing every refused row (unknown type, bad date,
    a name used twice, a parent or successor that is neither saved nor in the file, a rule of
    ``agency_create``/``agency_update``), and saves nothing. Returns the changes, one line per
    agency added or changed. Only the partnership's business manager may upload.
    """
    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload agencies.")
    table = read_table(upload, required=AGENCY_REQUIRED, optional=AGENCY_COLUMNS, sheet=AGENCY_SHEET)
    index = NameIndex(partnership.pk)
    rows, errors = _read_agency_rows(table, index, partnership)
    in_file = {name_key(r.name): r for r in rows}
    links = {}
    for row in rows:
        links[row.number] = (_link(row.parent, row, "parent", index, in_file, errors),
                             _link(row.replaced_by, row, "replaced by", index, in_file, errors))
        if row.replaced_by and not row.active_to:
            errors.append(RowError(row.number, "active to", "Give the date the agency stopped operating when it "
                                                            "was replaced."))
    if errors:
        raise table.reject(errors)
    changes = UploadChanges(singular="agency", plural="agencies", what_heading="Agency")
    saved: dict[str, Agency] = {}
    with transaction.atomic():
        # First every agency with its own details, then the links between them, so a row may
        # name an agency of any other row of the file.
        for row in rows:
            try:
                saved[name_key(row.name)] = _save_agency(actor, partnership, row, changes)
            except DomainError as error:
                errors.append(RowError(row.number, _column(error.field), error.message))
        if not errors:
            for row in rows:
                parent, successor = (saved.get(link, link) if isinstance(link, str) else link
                                     for link in links[row.number])
                agency = saved[name_key(row.name)]
                if (parent, successor) == (agency.parent, agency.replaced_by):
                    continue
                try:
                    services.agency_update(actor=actor, agency=agency, version=version_token(agency.updated_at),
                                           aliases=list(agency.aliases.values_list("name", flat=True)),
                                           parent=parent, replaced_by=successor)
                except DomainError as error:
                    errors.append(RowError(row.number, _column(error.field), error.message))
                    continue
                _note_links(changes, row, agency, parent, successor)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise table.reject(errors)
    return changes


def _column(field_name: str | None) -> str | None:
    return {"agency_type": "type", "active_from": "active from", "active_to": "active to",
            "replaced_by": "replaced by"}.get(field_name or "", field_name)


def _describe(agency_type: str, membership: str, start, end) -> str:
    text = f"{AgencyType(agency_type).label}, {in_sentence(Agency.Membership(membership).label)}"
    if start or end:
        text += f", active {start:%-d %b %Y} " if start else ", active "
        text += f"to {end:%-d %b %Y}" if end else "onwards"
    return text


def _save_agency(actor, partnership, row: _AgencyRow, changes: UploadChanges) -> Agency:
    agency = row.existing
    if agency is None:
        agency = services.agency_create(actor=actor, partnership=partnership, name=row.name,
                                        agency_type=row.agency_type, membership=row.membership,
                                        active_from=row.active_from, active_to=row.active_to, aliases=row.aliases)
        changes.added.append(Change(row.number, row.name, None, _describe(
            row.agency_type, row.membership, row.active_from, row.active_to) + _aliases_text(sorted(row.aliases))))
        return agency
    agency = Agency.objects.get(pk=agency.pk)
    aliases = sorted(set(agency.aliases.values_list("name", flat=True)) | set(row.aliases))
    before = (agency.name, agency.agency_type, agency.membership, agency.active_from, agency.active_to,
              sorted(agency.aliases.values_list("name", flat=True)))
    after = (row.name, row.agency_type, row.membership, row.active_from, row.active_to, aliases)
    if before == after:
        changes.unchanged += 1
        return agency
    # Active to stays empty while the successor link is set in the second pass.
    agency = services.agency_update(actor=actor, agency=agency, version=version_token(agency.updated_at),
                                    aliases=aliases, name=row.name, agency_type=row.agency_type,
                                    membership=row.membership, active_from=row.active_from,
                                    active_to=row.active_to, replaced_by=agency.replaced_by
                                    if row.active_to else None)
    changes.changed.append(Change(row.number, row.name, _describe(*before[1:5]) + _aliases_text(before[5]),
                                  _describe(*after[1:5]) + _aliases_text(aliases),
                                  changed_fields(dict(enumerate(before)), dict(enumerate(after)), AGENCY_FIELDS)))
    return agency


# What a changed agency's "Changed:" names, by position in the compared tuple.
AGENCY_FIELDS = {0: "name", 1: "type", 2: "membership", 3: "active from", 4: "active to", 5: "other names"}


def _aliases_text(aliases: list[str]) -> str:
    return f"; also known as {', '.join(aliases)}" if aliases else ""


def _note_links(changes: UploadChanges, row: _AgencyRow, agency: Agency, parent, successor) -> None:
    parts = []
    if parent is not None:
        parts.append(f"part of {parent.name}")
    if successor is not None:
        parts.append(f"replaced by {successor.name}")
    if parts:
        changes.notes.append(f"Row {row.number}: {agency.name} is {' and '.join(parts)}.")


# ---------------------------------------------------------------- people


def people_upload(*, actor: User | None, partnership: Partnership, upload, request=None) -> UploadChanges:
    """Add or update the partnership's people from the template (columns ``PEOPLE_COLUMNS``).

    ``role`` is a role's name (agency submitter, designated professional, PCI subgroup member,
    business manager); ``agencies`` (for a submitter) lists agency names or other names separated
    by semicolons; a closed agency's name is read as its successor, with a note. A new person is
    emailed a link to set a password once the upload is saved. All or nothing: raises
    ``UploadRejected`` listing every refused row.
    """
    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload people.")
    table = read_table(upload, required=PEOPLE_REQUIRED, optional=PEOPLE_COLUMNS, sheet=PEOPLE_SHEET)
    index = NameIndex(partnership.pk)
    # Addresses in their one canonical form (issue 11.2), as the sign-in and the services read them.
    emails = [email_key(c.get("email", "") or "") for _, c in table.numbered()]
    known = {u.email: u for u in User.objects.filter(email__in=[e for e in emails if e]).prefetch_related("agencies")}
    errors: list[RowError] = []
    rows = []
    seen: dict[str, int] = {}
    for number, cells in table.numbered():
        problems = []
        full_name = tidy_name(cells.get("name", ""))
        email = email_key(cells.get("email", "") or "")
        if not full_name:
            problems.append(("name", "Give the person's full name."))
        elif len(full_name) > 150:
            problems.append(("name", "The name must be 150 characters or fewer."))
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", f"‘{email}’ is not an email address." if email else "Give the email address."))
        if email in seen:
            errors.append(RowError(number, "email", f"This repeats row {seen[email]} (the same email address): "
                                                    "keep one of them."))
            continue
        seen[email] = number
        person = known.get(email)
        if person is not None and person.partnership_id != partnership.pk:
            problems.append(("email", services.EMAIL_UNAVAILABLE))
        role_text = cells.get("role", "")
        role = ROLE_WORDS.get(name_key(role_text))
        if role is None:
            problems.append(("role", f"‘{role_text}’ is not a role (use one of: {_choices_text(UPLOAD_ROLES)})."
                             if role_text else "Give the person's role."))
        agencies, notes = [], []
        for text in split_list(cells.get("agencies", "")):
            resolved = index.resolve(text, follow_successor=True)
            if resolved.agency is None:
                problems.append(("agencies", resolved.error))
            else:
                agencies.append(resolved.agency)
                if resolved.note:
                    notes.append(f"Row {number}: {resolved.note}")
        if role == Role.AGENCY_SUBMITTER and not agencies and not any(c == "agencies" for c, _ in problems):
            problems.append(("agencies", "An agency submitter needs the agency or agencies they submit for."))
        if role and role != Role.AGENCY_SUBMITTER and agencies:
            problems.append(("agencies", "Only an agency submitter is linked to agencies: leave this blank for "
                                         f"a {in_sentence(dict(Role.choices)[role])}."))
        if person is not None and person.pk == getattr(actor, "pk", None) and role != person.role:
            problems.append(("role", "You cannot change your own role by upload."))
        if problems:
            errors.extend(RowError(number, column, message) for column, message in problems)
            continue
        rows.append((number, full_name, email, role, agencies, tidy_name(cells.get("job title", "")), person, notes))
    if errors:
        raise table.reject(errors)
    changes = UploadChanges(singular="person", plural="people", what_heading="Email address")
    with transaction.atomic():
        for number, full_name, email, role, agencies, job_title, person, notes in rows:
            changes.notes.extend(notes)
            label = dict(Role.choices)[role]
            after = f"{full_name}, {in_sentence(label)}" + (f" for {', '.join(sorted(a.name for a in agencies))}"
                                                       if agencies else "")
            try:
                if person is None:
                    services.person_create(actor=actor, partnership=partnership, email=email, full_name=full_name,
                                           role=role, job_title=job_title, agencies=agencies, request=request)
                    changes.added.append(Change(number, email, None, after))
                    continue
                current = sorted(a.pk for a in person.agencies.all())
                before = f"{person.full_name}, {in_sentence(person.get_role_display())}" + (
                    f" for {', '.join(sorted(a.name for a in person.agencies.all()))}" if current else "")
                wanted = sorted(a.pk for a in agencies) if role == Role.AGENCY_SUBMITTER else []
                if (person.full_name, person.role, current, person.job_title or "") == (
                        full_name, role, wanted, job_title or person.job_title or ""):
                    changes.unchanged += 1
                    continue
                old = {"name": person.full_name, "role": person.role, "agencies": current,
                       "job": person.job_title or ""}
                new = {"name": full_name, "role": role, "agencies": wanted, "job": job_title or person.job_title or ""}
                services.person_update(actor=actor, person=person, version=version_token(person.updated_at),
                                       agencies=agencies, full_name=full_name, role=role,
                                       job_title=job_title or person.job_title)
                changes.changed.append(Change(number, email, before, after, changed_fields(
                    old, new, {"name": "name", "role": "role", "agencies": "agencies", "job": "job title"})))
            except DomainError as error:
                errors.append(RowError(number, {"full_name": "name", "job_title": "job title"}.get(
                    error.field or "", error.field), error.message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise table.reject(errors)
    added = len(changes.added)
    if added:
        who = counted(added, "new person", "new people")
        changes.effect(will=f"{who} will be emailed a link to set a password once you save.",
                       done=f"{who} {'has' if added == 1 else 'have'} been emailed a link to set a password.")
    return changes


# ---------------------------------------------------------------- seats

SEAT_SHEET = "Seats"
SEAT_COLUMNS = ["body", "agency", "role", "holder"]
SEAT_REQUIRED = ["body"]


def seats_upload(*, actor: User | None, partnership: Partnership, upload) -> UploadChanges:
    """Add seats to the board and subgroups from the template (columns ``SEAT_COLUMNS``; issue 12.3).

    ``body`` names the board or a subgroup (its name or short name); each row gives either an
    ``agency`` (a name or other name; a closed agency's name is read as its successor, with a
    note) or a ``role`` that is not an agency (independent chair, lay member, …) with an optional
    ``holder``. A seat already there is unchanged (a retired one is brought back). All or
    nothing: raises ``UploadRejected`` listing every refused row.
    """
    from .governance import services as governance
    from .models import Seat, Subgroup

    require_manager(actor, partnership.pk, "Only the partnership's business manager can upload seats.")
    table = read_table(upload, required=SEAT_REQUIRED, optional=SEAT_COLUMNS, sheet=SEAT_SHEET)
    index = NameIndex(partnership.pk)
    bodies = {}
    for subgroup in Subgroup.objects.filter(partnership=partnership):
        bodies[name_key(subgroup.name)] = subgroup
        if subgroup.short_name:
            bodies.setdefault(name_key(subgroup.short_name), subgroup)
    existing = {}
    for seat in Seat.objects.filter(partnership=partnership):
        key = (seat.subgroup_id, seat.agency_id) if seat.agency_id else (seat.subgroup_id, name_key(seat.role),
                                                                         name_key(seat.holder))
        existing[key] = seat
    errors: list[RowError] = []
    rows, seen = [], {}
    for number, cells in table.numbered():
        body_text, agency_text = cells.get("body", ""), cells.get("agency", "")
        role, holder = tidy_name(cells.get("role", "")), tidy_name(cells.get("holder", ""))
        subgroup = bodies.get(name_key(body_text))
        if subgroup is None:
            errors.append(RowError(number, "body", f"‘{body_text}’ is not the board or a subgroup of this partnership "
                                                   "(add it on the Subgroups page first)." if body_text else
                                   "Give the board or subgroup the seat is on."))
            continue
        if bool(agency_text) == bool(role):
            errors.append(RowError(number, "agency" if not agency_text else "role",
                                   "Give the agency that holds the seat, or the role of a member who represents no "
                                   "agency, not both." if agency_text else "Give the agency or the role."))
            continue
        agency, note = None, ""
        if agency_text:
            resolved = index.resolve(agency_text, follow_successor=True)
            if resolved.agency is None:
                errors.append(RowError(number, "agency", resolved.error))
                continue
            agency, note = resolved.agency, resolved.note
            key = (subgroup.pk, agency.pk)
        else:
            if len(role) > 120 or len(holder) > 150:
                errors.append(RowError(number, "role" if len(role) > 120 else "holder", "That is too long."))
                continue
            key = (subgroup.pk, name_key(role), name_key(holder))
        if key in seen:
            errors.append(RowError(number, "agency" if agency else "role",
                                   f"This repeats row {seen[key]} (the same seat): keep one of them."))
            continue
        seen[key] = number
        rows.append((number, subgroup, agency, role, holder, existing.get(key), note))
    if errors:
        raise table.reject(errors)
    changes = UploadChanges(singular="seat", what_heading="Body and seat")
    with transaction.atomic():
        for number, subgroup, agency, role, holder, seat, note in rows:
            if note:
                changes.notes.append(f"Row {number}: {note}")
            label = agency.name if agency else (f"{role} ({holder})" if holder else role)
            what = f"{subgroup.name}: {label}"
            try:
                if seat is None:
                    governance.seat_create(actor=actor, subgroup=subgroup, agency=agency, role=role, holder=holder)
                    held = f", held by {holder}" if agency and holder else ""
                    changes.added.append(Change(number, what, None, f"an agency's seat{held}" if agency else
                                                "a seat that is not an agency"))
                elif not seat.is_active:
                    governance.seat_update(actor=actor, seat=seat, version=version_token(seat.updated_at),
                                           holder=seat.holder, is_active=True)
                    changes.changed.append(Change(number, what, "no longer on this body", "on this body"))
                else:
                    changes.unchanged += 1
            except DomainError as error:
                errors.append(RowError(number, error.field if error.field in SEAT_COLUMNS else None, error.message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise table.reject(errors)
    return changes
