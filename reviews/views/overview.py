"""Across reviews: overdue actions by agency, one agency's overdue list, themes; exports."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from partners.access import agencies_readable_by, agency_for, require_roles
from safeguarding.exports import frame_from_rows, frame_response
from safeguarding.listing import ListFilter, page_of

from .. import selectors
from ..access import REVIEW_READERS, actions_for, reviews_for
from ..models import OPEN_STATUSES, ActionStatus


@require_roles(*REVIEW_READERS)
def overdue(request):
    """Actions by agency: searched by agency name, filtered to agencies with overdue actions or with
    actions awaiting assurance, 50 a page (issue 16.6). Only agencies the person may read."""
    form = ListFilter(request.GET, statuses=AGENCY_FILTERS, search_label="Agency name contains")
    agencies = agencies_readable_by(request.user)
    if form.value("q"):
        agencies = agencies.filter(name__icontains=form.value("q"))
    rows = selectors.overdue_by_agency(actions=actions_for(request.user), agencies=agencies)
    if form.value("status"):
        rows = [row for row in rows if row[form.value("status")]]
    page, query = page_of(request, rows)
    return render(request, "reviews/overdue.html", {"rows": page.object_list, "page": page, "query": query,
                                                    "filter_form": form})


# The overdue-by-agency list's status filter: the row's count that must be more than 0.
AGENCY_FILTERS = [("overdue", "With overdue actions"), ("awaiting", "With actions awaiting assurance")]


@require_roles(*REVIEW_READERS)
def agency_overdue(request, slug: str):
    """One agency's overdue actions, searched by description, review or challenge, filtered by
    status, 50 a page (issue 16.6); the downloads hold every one of them."""
    agency = agency_for(request.user, slug)
    if not agencies_readable_by(request.user).filter(pk=agency.pk).exists():
        raise Http404
    scoped = actions_for(request.user).filter(owner_agency=agency)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        columns, rows = selectors.export_rows(selectors.overdue_actions(actions=scoped))
        return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"overdue-actions-{agency.slug}",
                              sheet="Overdue actions")
    form = ListFilter(request.GET, statuses=[(s, ActionStatus(s).label) for s in OPEN_STATUSES],
                      search_label="Action, review or challenge contains")
    if form.value("status"):
        scoped = scoped.filter(status=form.value("status"))
    if form.value("q"):
        text = form.value("q")
        scoped = scoped.filter(Q(description__icontains=text) | Q(recommendation__review__title__icontains=text)
                               | Q(challenge__issue__icontains=text))
    page, query = page_of(request, selectors.overdue_action_rows(actions=scoped))
    actions = selectors.annotate_rag(list(page.object_list))
    return render(request, "reviews/agency_overdue.html", {"agency": agency, "actions": actions, "page": page,
                                                           "query": query, "filter_form": form})


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
