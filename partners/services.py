"""Every change to partnerships, agencies, subgroups and people goes through these functions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from safeguarding.audit import audit_record, snapshot
from safeguarding.concurrency import ensure_current
from safeguarding.email_canonical import canonical_email
from safeguarding.errors import DomainError, full_clean_or_refuse

from .access import require_manager, require_may_grant_admin, require_may_keep
from .models import Agency, AgencyAlias, Partnership, Role, Subgroup, User, name_key, tidy_name

AGENCY_FIELDS = ("name", "agency_type", "membership", "parent", "active_from", "active_to", "replaced_by")
SUBGROUP_FIELDS = ("name", "short_name", "remit", "chair", "chair_name", "cadence", "parent", "is_board")
PERSON_FIELDS = ("email", "full_name", "job_title", "role", "agencies", "is_active")


def _canonical(email: str, *, field: str = "email") -> str:
    """The address's canonical form (``safeguarding.email_canonical``, issue 11.2), or a
    ``DomainError`` on ``field`` naming the characters that are refused."""
    try:
        return canonical_email(email)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None


def _require_manager(actor: User | None, partnership: Partnership) -> None:
    require_manager(actor, partnership.pk, "Only the partnership's business manager can change this.")


def _unique_slug(model, partnership: Partnership, name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "item"
    slug, n = base, 2
    qs = model.objects.filter(partnership=partnership)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def partnership_create(*, name: str, slug: str, short_name: str = "", area: str = "") -> Partnership:
    """A partnership row (no people): used by the demo and by ``partnership_start``.

    Raises ``DomainError`` on ``name`` when another partnership has the name (ignoring case)."""
    name = tidy_name(name)
    if Partnership.objects.filter(name__iexact=name).exists():
        raise DomainError(f"There is already a partnership called ‘{name}’.", field="name")
    partnership = Partnership(name=name, slug=slug, short_name=short_name, area=area)
    full_clean_or_refuse(partnership)
    partnership.save()
    audit_record(actor=None, action="partnership.created", obj=partnership, partnership=partnership,
                 after=snapshot(partnership, ("name", "slug", "short_name", "area")))
    return partnership


def _name_from_email(email: str) -> str:
    """A first guess at a person's name from their address ("jo.bloggs@x" -> "Jo Bloggs"); they or
    their manager correct it on the people page."""
    local = email.split("@", 1)[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w.capitalize() for w in words) or email


@transaction.atomic
def partnership_start(*, actor: User | None, name: str, manager_email: str, manager_name: str = "",
                      short_name: str = "", area: str = "", request=None) -> tuple[Partnership, User]:
    """First run (issue 12.1): a new partnership and its first business manager, who is emailed a
    link to set a password (the console email backend prints it).

    ``actor`` is None for the ``create_partnership`` command, or a platform superuser who belongs to
    no partnership (the no-partnership page). The operator's own address is refused: operators
    belong to no partnership (issue 11.1).
    Returns ``(partnership, manager)``. Raises ``NotAllowed`` for anyone else, ``DomainError`` on
    ``name`` (taken) or ``manager_email`` (already someone else's account, or not an address).
    """
    from django.core.validators import validate_email

    from safeguarding.errors import NotAllowed

    if actor is not None and not (actor.is_superuser and actor.partnership_id is None):
        raise NotAllowed("Only a platform administrator who belongs to no partnership can create one.")
    manager_email = _canonical(manager_email, field="manager_email")
    try:
        validate_email(manager_email)
    except ValidationError:
        raise DomainError("Enter the business manager's email address, like name@example.org.",
                          field="manager_email") from None
    name = tidy_name(name)
    if not name:
        raise DomainError("Enter the partnership's name.", field="name")
    partnership = partnership_create(name=name, slug=_unique_partnership_slug(name),
                                     short_name=tidy_name(short_name), area=tidy_name(area))
    if actor is not None and actor.email == manager_email:
        # Issue 11.1: platform operators stay outside every partnership (a database constraint).
        raise DomainError("A platform operator cannot also be a partnership's business manager. "
                          "Give the business manager's own address.", field="manager_email")
    if User.objects.filter(email=manager_email).exists():
        raise DomainError("Someone with this email address already has an account. Use another address.",
                          field="manager_email")
    manager = person_create(actor=None, partnership=partnership, email=manager_email,
                            full_name=tidy_name(manager_name) or _name_from_email(manager_email),
                            role=Role.BUSINESS_MANAGER, request=request, invited_by=actor)
    audit_record(actor=actor, action="partnership.started", obj=partnership, partnership=partnership,
                 after={"manager": manager.email})
    return partnership, manager


def _unique_partnership_slug(name: str) -> str:
    base = slugify(name)[:50] or "partnership"
    slug, n = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_agency_links(agency: Agency) -> None:
    for field in ("parent", "replaced_by"):
        other = getattr(agency, field)
        if other is None:
            continue
        if other.partnership_id != agency.partnership_id:
            raise DomainError("That organisation belongs to another partnership.", field=field)
        if agency.pk and other.pk == agency.pk:
            raise DomainError("An agency cannot point to itself.", field=field)
    if agency.replaced_by_id and not agency.active_to:
        raise DomainError("Give the date the agency stopped operating when it was replaced.",
                          field="active_to")


def _check_name_free(agency: Agency) -> None:
    """Refuse a name another agency of the partnership has, compared by ``name_key`` (ignoring
    case and spacing, issue 12.7, and curly quotes and dashes: "Children’s" is "Children's").

    Raises ``DomainError`` on ``name`` naming the agency that has it; the database constraint
    ``agency_unique_name_ci`` is the backstop for two people saving at the same moment. One query.
    """
    key = name_key(agency.name)
    clash = next((name for name in Agency.objects.filter(partnership_id=agency.partnership_id)
                  .exclude(pk=agency.pk).values_list("name", flat=True) if name_key(name) == key), None)
    if clash is not None:
        raise DomainError(f"There is already an agency called ‘{clash}’ in the partnership "
                          "(names are compared ignoring capitals and spacing).", field="name")


def _set_aliases(agency: Agency, aliases: list[str]) -> None:
    wanted = {tidy_name(a) for a in aliases if tidy_name(a) and name_key(a) != name_key(agency.name)}
    agency.aliases.exclude(name__in=wanted).delete()
    existing = set(agency.aliases.values_list("name", flat=True))
    AgencyAlias.objects.bulk_create([AgencyAlias(agency=agency, name=n) for n in sorted(wanted - existing)])


@transaction.atomic
def agency_create(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    agency_type: str,
    membership: str = Agency.Membership.RELEVANT_AGENCY,
    parent: Agency | None = None,
    active_from: dt.date | None = None,
    active_to: dt.date | None = None,
    replaced_by: Agency | None = None,
    aliases: list[str] | None = None,
) -> Agency:
    _require_manager(actor, partnership)
    agency = Agency(
        partnership=partnership, name=tidy_name(name), agency_type=agency_type, membership=membership,
        parent=parent, active_from=active_from, active_to=active_to, replaced_by=replaced_by,
        slug=_unique_slug(Agency, partnership, name),
    )
    _validate_agency_links(agency)
    _check_name_free(agency)
    full_clean_or_refuse(agency)
    agency.save()
    _set_aliases(agency, aliases or [])
    audit_record(actor=actor, action="agency.created", obj=agency,
                 after=snapshot(agency, AGENCY_FIELDS) | {"aliases": sorted(aliases or [])})
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, version: str, aliases: list[str], **changes) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _require_manager(actor, agency.partnership)
    ensure_current(current=agency.updated_at, token=version, what="agency")
    before = snapshot(agency, AGENCY_FIELDS) | {"aliases": sorted(agency.aliases.values_list("name", flat=True))}
    for field, value in changes.items():
        if field not in AGENCY_FIELDS:
            raise TypeError(f"agency_update got an unexpected field {field!r}")
        setattr(agency, field, tidy_name(value) if field == "name" else value)
    _validate_agency_links(agency)
    _check_name_free(agency)
    full_clean_or_refuse(agency)
    agency.save()
    _set_aliases(agency, aliases)
    after = snapshot(agency, AGENCY_FIELDS) | {"aliases": sorted(agency.aliases.values_list("name", flat=True))}
    audit_record(actor=actor, action="agency.updated", obj=agency, before=before, after=after)
    return agency


@transaction.atomic
def subgroup_create(*, actor: User | None, partnership: Partnership, name: str, **fields) -> Subgroup:
    _require_manager(actor, partnership)
    subgroup = Subgroup(partnership=partnership, name=name.strip(),
                        slug=_unique_slug(Subgroup, partnership, name), **fields)
    _validate_subgroup(subgroup)
    full_clean_or_refuse(subgroup)
    subgroup.save()
    audit_record(actor=actor, action="subgroup.created", obj=subgroup, after=snapshot(subgroup, SUBGROUP_FIELDS))
    return subgroup


def _validate_subgroup(subgroup: Subgroup) -> None:
    if subgroup.parent_id and subgroup.parent.partnership_id != subgroup.partnership_id:
        raise DomainError("That body belongs to another partnership.", field="parent")
    if subgroup.pk and subgroup.parent_id == subgroup.pk:
        raise DomainError("A subgroup cannot report to itself.", field="parent")
    if subgroup.chair_id and subgroup.chair.partnership_id != subgroup.partnership_id:
        raise DomainError("The chair must be a member of this partnership.", field="chair")


@transaction.atomic
def subgroup_update(*, actor: User, subgroup: Subgroup, version: str, **changes) -> Subgroup:
    subgroup = Subgroup.objects.select_for_update().get(pk=subgroup.pk)
    _require_manager(actor, subgroup.partnership)
    ensure_current(current=subgroup.updated_at, token=version, what="subgroup")
    before = snapshot(subgroup, SUBGROUP_FIELDS)
    for field, value in changes.items():
        if field not in SUBGROUP_FIELDS:
            raise TypeError(f"subgroup_update got an unexpected field {field!r}")
        setattr(subgroup, field, value)
    _validate_subgroup(subgroup)
    full_clean_or_refuse(subgroup)
    subgroup.save()
    audit_record(actor=actor, action="subgroup.updated", obj=subgroup, before=before,
                 after=snapshot(subgroup, SUBGROUP_FIELDS))
    return subgroup


def _validate_person(*, partnership: Partnership, role: str, agencies: list[Agency]) -> None:
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise DomainError("Those agencies belong to another partnership.", field="agencies")
    if role == Role.AGENCY_SUBMITTER and not agencies:
        raise DomainError("Choose the agency or agencies this person submits for.", field="agencies")


def _count_invitation(*, actor: User | None, email: str) -> None:
    """Count one invitation to ``email`` sent by ``actor`` (None: the system), or raise
    ``DomainError`` (field ``email``) naming the limit it would pass: per address and per sender
    (``safeguarding.email_throttle``). Called inside the service's transaction, so an invitation
    that is rolled back is not counted."""
    from safeguarding.email_throttle import INVITATION, email_refusal

    refusal = email_refusal(kind=INVITATION, email=email, sender_id=getattr(actor, "pk", None))
    if refusal:
        raise DomainError(refusal, field="email")


def _send_invitation(user: User, *, request=None) -> None:
    """A password-set email using Django's reset machinery: no password is ever emailed. Callers
    count it first (``_count_invitation``)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    from safeguarding.auth import ResetRequestForm

    base = urlsplit(settings.PORTAL_BASE_URL)
    form = ResetRequestForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure() if request else base.scheme == "https",
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
            html_email_template_name="registration/invitation_email.html",
            domain_override=None if request else (base.netloc or "127.0.0.1:8000"),
            extra_email_context={"partnership": user.partnership, "person": user},
        )


# Issue: a refusal must not tell a partnership that an address has an account elsewhere (another
# partnership, or the platform operator's): one neutral wording for every such case.
EMAIL_UNAVAILABLE = ("This email address cannot be used; ask the person for another address or contact the "
                     "portal's operator.")


def email_taken_message(*, email: str, partnership_id: int | None, exclude_pk: int | None = None) -> str | None:
    """Why ``email`` (canonical) cannot be given to a person of ``partnership_id``, or None if it
    is free: someone of this partnership has it (said so, they can see them), or an account outside
    it does (``EMAIL_UNAVAILABLE``, which does not say whose or where)."""
    holder = User.objects.filter(email=email).exclude(pk=exclude_pk).only("partnership_id").first()
    if holder is None:
        return None
    if holder.partnership_id is not None and holder.partnership_id == partnership_id:
        return "Someone in this partnership already has this email address."
    return EMAIL_UNAVAILABLE


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    job_title: str = "",
    agencies: list[Agency] | None = None,
    password: str | None = None,
    invite: bool = True,
    request=None,
    invited_by: User | None = None,
) -> User:
    """Add a person to ``partnership`` and (unless ``invite`` is False or a password is given)
    email them a link to set a password.

    The invitation counts against the throttle of whoever sends it: ``invited_by`` (a platform
    operator starting a partnership, where ``actor`` is the system), else ``actor``.

    Only an administrator (or the system, ``actor`` None) may create an administrator. The role
    never makes anyone staff or superuser: the Django admin is for platform operators (11.1).
    Raises ``NotAllowed`` or ``DomainError`` (field ``email``, ``agencies``, ``role``).
    """
    _require_manager(actor, partnership)
    if role == Role.ADMIN:
        require_may_grant_admin(actor)
    agencies = list(agencies or [])
    _validate_person(partnership=partnership, role=role, agencies=agencies)
    email = _canonical(email)
    if taken := email_taken_message(email=email, partnership_id=partnership.pk):
        raise DomainError(taken, field="email")
    person = User(email=email, full_name=full_name.strip(), job_title=job_title.strip(), role=role,
                  partnership=partnership)
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    full_clean_or_refuse(person, exclude=["password"])
    person.save()
    person.agencies.set(agencies if role == Role.AGENCY_SUBMITTER else [])
    audit_record(actor=actor, action="person.created", obj=person, partnership=partnership,
                 after=snapshot(person, PERSON_FIELDS))
    if invite and not password:
        _count_invitation(actor=invited_by or actor, email=person.email)
        transaction.on_commit(lambda: _send_invitation(person, request=request))
    return person


@transaction.atomic
def person_update(*, actor: User, person: User, version: str, agencies: list[Agency], **changes) -> User:
    """Change a person's details, role, agencies or whether they can sign in.

    A business manager cannot change an administrator's account (email included), nor give or
    remove the administrator role; nobody changes their own role or switches themself off
    (issue 11.1). Raises ``NotAllowed``, ``StaleEdit`` or ``DomainError`` naming the field.
    """
    person = User.objects.select_for_update().get(pk=person.pk)
    require_may_keep(actor, person)
    ensure_current(current=person.updated_at, token=version, what="person's account")
    before = snapshot(person, PERSON_FIELDS)
    new_role = changes.get("role", person.role)
    if new_role != person.role:
        if actor is not None and person.pk == actor.pk:
            raise DomainError("You cannot change your own role. Ask an administrator.", field="role")
        if Role.ADMIN in (new_role, person.role):
            require_may_grant_admin(actor)
    for field, value in changes.items():
        if field not in PERSON_FIELDS or field == "agencies":
            raise TypeError(f"person_update got an unexpected field {field!r}")
        setattr(person, field, value)
    person.email = _canonical(person.email)
    if taken := email_taken_message(email=person.email, partnership_id=person.partnership_id, exclude_pk=person.pk):
        raise DomainError(taken, field="email")
    if actor is not None and person.pk == actor.pk and not person.is_active:
        raise DomainError("You cannot switch off your own account.", field="is_active")
    _validate_person(partnership=person.partnership, role=person.role, agencies=agencies)
    full_clean_or_refuse(person, exclude=["password"])
    person.save()
    person.agencies.set(agencies if person.role == Role.AGENCY_SUBMITTER else [])
    audit_record(actor=actor, action="person.updated", obj=person, before=before,
                 after=snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_send_invitation(*, actor: User, person: User, request=None) -> None:
    """Email ``person`` a link to set a password. A business manager cannot send one to an
    administrator (issue 11.1: else they could change the address, then reset). Throttled per
    address and per sender (``safeguarding.email_throttle``). Raises ``NotAllowed``, or
    ``DomainError`` naming the limit reached."""
    require_may_keep(actor, person)
    _count_invitation(actor=actor, email=person.email)
    _send_invitation(person, request=request)
    audit_record(actor=actor, action="person.invited", obj=person)


@transaction.atomic
def operator_create(*, email: str, full_name: str, password: str | None = None) -> User:
    """A platform operator: opens the Django admin, belongs to no partnership (issue 11.1).

    For ``createsuperuser``'s job when a script needs it (the demo). ``password`` None leaves
    the account without a usable password. Raises ``DomainError`` (field ``email``) when the
    address has an account.
    """
    email = _canonical(email)
    if User.objects.filter(email=email).exists():
        raise DomainError("Someone with this email address already has an account.", field="email")
    operator = User(email=email, full_name=full_name.strip(), is_staff=True, is_superuser=True)
    if password:
        operator.set_password(password)
    else:
        operator.set_unusable_password()
    full_clean_or_refuse(operator, exclude=["password"])
    operator.save()
    audit_record(actor=None, action="operator.created", obj=operator,
                 after=snapshot(operator, ("email", "full_name", "is_staff", "is_superuser")))
    return operator


@transaction.atomic
def person_reset_second_factor(*, actor: User | None, person: User) -> int:
    """Remove ``person``'s authenticator app and recovery codes after a lost phone (issue 11.6);
    they set up a new app at their next sign-in. Only an administrator of the partnership (not
    their own), a platform operator, or the system resets. Returns how many devices were removed; writes
    ``person.second_factor_reset`` to the audit log. Raises ``NotAllowed``.
    """
    from safeguarding.errors import NotAllowed
    from safeguarding.two_factor import devices_delete

    person = User.objects.select_for_update().get(pk=person.pk)
    if actor is not None and actor.is_operator:
        # A platform operator resets anyone's (from the Django admin): the way back for a
        # partnership's only administrator.
        removed = devices_delete(person)
        audit_record(actor=actor, action="person.second_factor_reset", obj=person,
                     data={"devices_removed": removed, "via": "django-admin"})
        return removed
    require_may_keep(actor, person)
    if actor is not None and not actor.is_admin:
        raise NotAllowed("Only an administrator can reset someone's two-step sign-in.")
    if actor is not None and actor.pk == person.pk:
        raise NotAllowed("Ask another administrator to reset your own two-step sign-in.")
    removed = devices_delete(person)
    audit_record(actor=actor, action="person.second_factor_reset", obj=person, data={"devices_removed": removed})
    return removed
