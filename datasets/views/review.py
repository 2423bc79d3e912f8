"""Review: a PCI member or the business manager queries or accepts; the manager reopens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguarding.confirmation import Confirmation, confirm_then_act
from safeguarding.workflow import RULES

from .. import selectors, services
from ..forms import CommentForm


def _comment_page(request, pk: int, *, action: str, title: str, label: str, hint: str, service, done: str):
    """A step taken with a comment on its own page (query; reopen, which also says what it
    unlocks): the shared confirm-then-act handler, the refusal shown beside the comment."""
    ret = selectors.return_for(request.user, pk)  # out of scope: 404 before any role question
    _require_reviewer(request.user, manager=RULES[action].who == "manager")
    form = CommentForm(request.POST or None, label=label, help_text=hint)
    detail = reverse("datasets:return_detail", args=[ret.pk])

    def act(data) -> str:
        service(actor=request.user, ret=ret, comment=data["comment"])
        return done

    return confirm_then_act(
        request, form=form, act=act, done_url=detail, template="datasets/return_comment.html",
        refusal_on_page=True,
        page=lambda: Confirmation(title=title, button="", back_url=detail,
                                  locks=reopen_locks(ret) if action == "reopen" else [],
                                  extra={"ret": ret, "action": action}))


def _require_reviewer(user, *, manager: bool = False) -> None:
    if not (user.is_manager or (user.is_pci and not manager)):
        raise PermissionDenied("Your role does not let you do this." if not manager
                               else "Only the business manager can do this.")


@login_required
def return_query(request, pk: int):
    return _comment_page(request, pk, action="query", title="Query this return", label="Your question for the agency",
                         hint="Say which figure and what you need to know. The agency sees this and answers it.",
                         service=services.return_query, done="The return has been queried; the agency can now answer.")


@login_required
def return_reopen(request, pk: int):
    return _comment_page(request, pk, action="reopen", title="Reopen this accepted return",
                         label="Why it is being reopened", hint="The agency and PCI see this reason in its history.",
                         service=services.return_reopen, done="The return has been reopened as a draft.")


def accept_locks(ret, figures: int) -> list[str]:
    """What accepting a return locks, in words (issue 16.5), for dataset and training returns."""
    return [f"The {figures} figure{'s' if figures != 1 else ''} and narratives of {ret.agency.name}'s return for "
            f"{ret.quarter.label} are locked: nobody can change them.",
            "They count in the dashboards, the exports and the reports from now on.",
            "Only the business manager can reopen the return, and must give a reason that the agency sees."]


def reopen_locks(ret) -> list[str]:
    """What reopening an accepted return unlocks, in words (issue 16.5)."""
    return [f"{ret.agency.name}'s return for {ret.quarter.label} goes back to draft: its submitters can change "
            "the figures again.",
            "Its figures leave the dashboards until the return is submitted and accepted again.",
            "The reason you give is kept in the return's history."]


@login_required
def return_accept(request, pk: int):
    """GET: what accepting will lock; POST: accept (issue 16.5)."""
    ret = selectors.return_for(request.user, pk)
    _require_reviewer(request.user)
    form = CommentForm(request.POST if request.method == "POST" else None, required=False,
                       label="Comment on accepting (optional)")

    def page() -> Confirmation:
        figures = ret.values.filter(part__isnull=True).exclude(value__isnull=True).count()
        return Confirmation(title="Accept this return", caption=f"{ret.agency.name}, {ret.quarter.label}",
                            back_url=reverse("datasets:return_detail", args=[ret.pk]),
                            locks=accept_locks(ret, figures), button="Accept and lock the return")

    def act(data) -> str:
        services.return_accept(actor=request.user, ret=ret, comment=data["comment"])
        return "The return has been accepted and is now locked."

    return confirm_then_act(request, page=page, act=act, form=form,
                            done_url=reverse("datasets:return_detail", args=[ret.pk]))
