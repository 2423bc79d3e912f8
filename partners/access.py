"""Who may see and act for what. Every view reaches partners' objects through these helpers.

The rule of the house: an object outside a person's scope answers 404 (it might as well not
exist); an object in scope but an action the role may not take answers 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Agency, Role, Subgroup, User


def agencies_in_partnership(user: User) -> QuerySet[Agency]:
    """Every agency of the person's partnership: names and types are not confidential."""
    if not user.is_authenticated or user.partnership_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=user.partnership_id)


def agencies_for(user: User) -> QuerySet[Agency]:
    """The agencies whose data the person may enter and submit (and read while in draft)."""
    if not user.is_authenticated or user.partnership_id is None:
        return Agency.objects.none()
    if user.is_submitter:
        return user.agencies.filter(partnership_id=user.partnership_id)
    if user.is_designated:
        return agencies_in_partnership(user).health()
    if user.is_manager:
        return agencies_in_partnership(user)
    return Agency.objects.none()


def agencies_readable_by(user: User) -> QuerySet[Agency]:
    """Agencies whose submitted figures the person may read in full."""
    if user.is_authenticated and user.reads_everything:
        return agencies_in_partnership(user)
    return agencies_for(user)


def can_act_for(user: User, agency: Agency) -> bool:
    return agencies_for(user).filter(pk=agency.pk).exists()


def agency_for(user: User, slug: str) -> Agency:
    return get_object_or_404(agencies_in_partnership(user), slug=slug)


def subgroups_for(user: User) -> QuerySet[Subgroup]:
    if not user.is_authenticated or user.partnership_id is None:
        return Subgroup.objects.none()
    return Subgroup.objects.filter(partnership_id=user.partnership_id)


def people_for(user: User) -> QuerySet[User]:
    """The people a business manager administers: their own partnership's."""
    if not user.is_authenticated or not user.is_manager or user.partnership_id is None:
        return User.objects.none()
    return User.objects.filter(partnership_id=user.partnership_id)


def require_roles(*roles: str):
    """View decorator: signed in (else to the sign-in page) and one of ``roles`` (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if user.role not in roles and not (Role.BUSINESS_MANAGER in roles and user.is_admin):
                raise PermissionDenied("Your role does not give you access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


ALL_ROLES = tuple(Role.values)
MANAGERS = (Role.BUSINESS_MANAGER, Role.ADMIN)
READERS = (Role.PCI_MEMBER, Role.BUSINESS_MANAGER, Role.ADMIN)


def require_manager(actor: User | None, partnership_id: int,
                    message: str = "Only the partnership's business manager can do this.") -> None:
    """For services: refuse unless ``actor`` is this partnership's business manager (or admin).

    ``actor`` None is the system itself (demo data, management commands) and is let through.
    """
    from safeguarding.errors import NotAllowed

    if actor is None:
        return
    if not actor.is_manager or actor.partnership_id != partnership_id:
        raise NotAllowed(message)


def may_keep_person(actor: User, person: User) -> bool:
    """Whether ``actor`` may edit, invite or reset ``person`` (issue 11.1).

    A business manager keeps their partnership's people except its administrators; an
    administrator keeps everyone in the partnership. Platform operators are nobody's to keep.
    """
    if not actor.is_manager or actor.partnership_id is None or person.partnership_id != actor.partnership_id:
        return False
    return actor.is_admin or person.role != Role.ADMIN


def require_may_keep(actor: User | None, person: User) -> None:
    """For services: refuse (``NotAllowed``) unless ``actor`` may keep ``person``'s account.

    ``actor`` None is the system (demo data, management commands) and is let through.
    """
    from safeguarding.errors import NotAllowed

    if actor is None:
        return
    require_manager(actor, person.partnership_id or 0,
                    "Only the partnership's business manager can change people's accounts.")
    if not may_keep_person(actor, person):
        raise NotAllowed("Only an administrator can change an administrator's account.")


def require_may_grant_admin(actor: User | None) -> None:
    """For services: only an administrator (or the system) grants or removes the administrator role."""
    from safeguarding.errors import NotAllowed

    if actor is not None and not actor.is_admin:
        raise NotAllowed("Only an administrator can give or remove the administrator role.", field="role")
