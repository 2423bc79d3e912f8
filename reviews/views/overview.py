"""Across reviews: overdue actions by agency, one agency's overdue list, themes; exports."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from partners.access import agencies_readable_by, agency_for, require_roles
from safeguarding.exports import frame_from_rows, frame_response

from .. import selectors
from ..access import REVIEW_READERS, actions_for, reviews_for


@require_roles(*REVIEW_READERS)
def overdue(request):
    rows = selectors.overdue_by_agency(actions=actions_for(request.user),
                                       agencies=agencies_readable_by(request.user))
    return render(request, "reviews/overdue.html", {"rows": rows})


@require_roles(*REVIEW_READERS)
def agency_overdue(request, slug: str):
    agency = agency_for(request.user, slug)
    if not agencies_readable_by(request.user).filter(pk=agency.pk).exists():
        raise Http404
    actions = selectors.overdue_actions(actions=actions_for(request.user).filter(owner_agency=agency))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        columns, rows = selectors.export_rows(actions)
        return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"overdue-actions-{agency.slug}",
                              sheet="Overdue actions")
    return render(request, "reviews/agency_overdue.html", {"agency": agency, "actions": actions})


@require_roles(*REVIEW_READERS)
def themes(request):
    rows = selectors.themes_across(reviews=reviews_for(request.user), actions=actions_for(request.user))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        columns = ["Theme", "Reviews", "Recommendations", "Actions", "Assured", "Overdue"]
        data = [[r["theme"].name, "; ".join(v.title for v in r["reviews"]), r["recommendations"], r["actions"],
                 r["assured"], r["overdue"]] for r in rows]
        return frame_response(frame_from_rows(columns, data), fmt=fmt, filename="themes-across-reviews",
                              sheet="Themes")
    return render(request, "reviews/themes.html", {"rows": rows})


@require_roles(*REVIEW_READERS)
def actions_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    actions = selectors.annotate_rag(list(selectors._action_rows(actions_for(request.user)).order_by("due_on", "id")))
    columns, rows = selectors.export_rows(actions)
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename="all-actions", sheet="Actions")
