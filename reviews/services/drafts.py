"""Draft actions made from a recommendation, one per addressed agency (issue 16.4).

Adding a recommendation (typed or uploaded) gives each agency it addresses a draft action at
once: the agency sees it in "my actions" and completes it with a lead and a due date
(``action_update`` moves it from draft to not started). A group gives one draft to each agency
it held on the recommendation's date; only agencies still active today get one (a draft is new
work given now: ``partners.lifecycle``). A recommendation addressed to "the partnership" gives one
partnership-level draft with no owner agency: the business manager owns it and PCI assures it.
"""

from __future__ import annotations

from django.utils import timezone

from partners.lifecycle import is_active_during
from partners.models import User
from safeguarding.audit import audit_record, snapshot

from ..addressees import addressed_agencies
from ..models import Action, ActionStatus, ActionStatusChange, AddresseeGroup, Recommendation
from ..notify import notify_recommendation_addressed

DRAFT_FIELDS = ("owner_agency", "description", "start_on", "status")


def draft_actions_create(*, actor: User | None, recommendation: Recommendation) -> list[Action]:
    """Make the missing draft actions of ``recommendation``: one per addressed agency (named, or
    held by a group on ``made_on``) that has no action under it yet, and one partnership-level
    action (``owner_agency`` None) when the partnership itself is addressed. Each draft copies the
    recommendation's text and starts on its date. Calling it again adds nothing. Returns the new
    drafts; notifies each owner (``safeguarding.notifications``) once the transaction commits."""
    rec = recommendation
    partnership_id = rec.review.partnership_id
    codes = [group.code for group in rec.groups.all()]
    agencies = addressed_agencies(partnership_id=partnership_id, made_on=rec.made_on,
                                  named=rec.addressees.values_list("pk", flat=True), group_codes=codes)
    existing = set(rec.actions.values_list("owner_agency_id", flat=True))
    # A draft is new work given today: an agency closed since the recommendation gets none (12.6).
    today = timezone.localdate()
    owners = [agency for agency in agencies if agency.pk not in existing and is_active_during(agency, today)]
    if AddresseeGroup.PARTNERSHIP in codes and None not in existing:
        owners.append(None)
    created = []
    for agency in owners:
        action = Action(partnership_id=partnership_id, recommendation=rec, owner_agency=agency,
                        description=rec.text, start_on=rec.made_on, status=ActionStatus.DRAFT)
        action.full_clean()
        action.save()
        # The draft is dated the day it is made, for the report's "as it stood" (reviews.selectors.actions_as_at).
        ActionStatusChange.objects.create(action=action, status=ActionStatus.DRAFT, on=timezone.localdate(),
                                          recorded_by=actor if getattr(actor, "pk", None) else None)
        audit_record(actor=actor, action="action.drafted", obj=action, partnership=rec.review.partnership,
                     after=snapshot(action, DRAFT_FIELDS))
        created.append(action)
    if created:
        notify_recommendation_addressed(recommendation=rec, actions=created)
    return created
