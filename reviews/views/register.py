"""The review register, kept by the business manager, read by PCI and designated professionals."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from partners.access import agencies_in_partnership, agencies_readable_by, require_roles
from safeguarding.errors import DomainError
from safeguarding.exports import frame_from_rows, frame_response
from safeguarding.forms import apply_domain_error
from safeguarding.upload_preview import upload_page
from safeguarding.upload_templates import template_response

from .. import selectors, services
from ..access import REGISTER_KEEPERS, REVIEW_READERS, actions_for, reviews_for
from ..forms import RecommendationForm, ReviewForm
from ..models import Theme
from ..services.register import RECOMMENDATION_COLUMNS, RECOMMENDATIONS_SHEET

REVIEW_SCALARS = ("review_type", "title", "lead_partnership", "notified_on", "commissioned_on", "started_on",
                  "completed_on", "published_on", "publication_status", "status", "summary",
                  "action_plan_working_days")
# A recommendation row with its actions is several lines tall: 20 make a page (issue 16.6).
RECOMMENDATIONS_PER_PAGE = 20


@require_roles(*REVIEW_READERS)
def review_list(request):
    """The review register: searched by title, filtered by status and by an agency involved
    (of the agencies the person may read), 50 a page (issue 16.6)."""
    from safeguarding.listing import ListFilter, choices_of, page_of

    from ..models import ReviewStatus

    form = ListFilter(request.GET, statuses=ReviewStatus.choices,
                      agencies=choices_of(agencies_readable_by(request.user).order_by("name")),
                      search_label="Title or theme contains")
    reviews = reviews_for(request.user)
    if form.value("status"):
        reviews = reviews.filter(status=form.value("status"))
    if form.value("agency"):
        reviews = reviews.filter(agencies=form.value("agency"))
    if form.value("q"):
        text = form.value("q")
        reviews = reviews.filter(Q(title__icontains=text) | Q(pk__in=reviews.filter(themes__name__icontains=text)
                                                              .values("pk")))
    page, query = page_of(request, selectors.review_list(reviews=reviews))
    return render(request, "reviews/review_list.html", {"reviews": page.object_list, "page": page, "query": query,
                                                        "filter_form": form})


def _review_form(request, review=None):
    initial = {"publication_status": "not_published", "status": "in_progress"}
    if review:
        initial = {f: getattr(review, f) for f in REVIEW_SCALARS}
        initial["themes"] = "\n".join(t.name for t in review.themes.all())
        initial["agencies"] = list(review.agencies.values_list("pk", flat=True))
    return ReviewForm(request.POST or None, agencies=agencies_in_partnership(request.user), initial=initial,
                      updated_at=review.updated_at if review else None)


@require_roles(*REGISTER_KEEPERS)
def review_create(request):
    form = _review_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_create(
                actor=request.user, partnership=request.user.partnership, agencies=list(data["agencies"]),
                themes=services.themes_from_names(request.user.partnership, form.theme_names()),
                **{f: data[f] for f in REVIEW_SCALARS},
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, f"{review.title} has been added to the register.")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review_form.html", {"form": form})


@require_roles(*REGISTER_KEEPERS)
def review_edit(request, pk: int):
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    form = _review_form(request, review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_update(
                actor=request.user, review=review, version=data["version"], agencies=list(data["agencies"]),
                themes=services.themes_from_names(review.partnership, form.theme_names()),
                **{f: data[f] for f in REVIEW_SCALARS},
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, "The review's details have been saved.")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/review_form.html", {"form": form, "review": review})


@require_roles(*REVIEW_READERS)
def review_detail(request, pk: int):
    """The review and its progress: share assured, overdue, by agency (always the whole review);
    then its recommendations, searched by number or text, filtered by an action status and by an
    agency addressed or owning an action (of the agencies the person may read), 20 a page, so a
    36-recommendation inspection is not one 16,000 px page (issue 16.6)."""
    from safeguarding.listing import ListFilter, choices_of, page_of

    from ..models import ActionStatus

    review = get_object_or_404(reviews_for(request.user).prefetch_related("themes", "agencies"), pk=pk)
    progress = selectors.review_progress(review=review, actions=actions_for(request.user))
    form = ListFilter(request.GET, statuses=ActionStatus.choices,
                      agencies=choices_of(agencies_readable_by(request.user).order_by("name")),
                      search_label="Recommendation number or text contains")
    # Filtered in memory: review_progress has every recommendation and action loaded already
    # (its tallies are the whole review's), so a filter or a page costs no query.
    matching = selectors.recommendations_matching(progress["recommendations"], text=form.value("q"),
                                                  status=form.value("status"), agency_id=form.value("agency"))
    page, query = page_of(request, matching, per_page=RECOMMENDATIONS_PER_PAGE)
    return render(request, "reviews/review_detail.html", {
        "review": review, **progress, "recommendations": page.object_list, "page": page, "query": query,
        "filter_form": form})


@require_roles(*REVIEW_READERS)
def review_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    progress = selectors.review_progress(review=review, actions=actions_for(request.user))
    columns, rows = selectors.export_rows(progress["actions"])
    return frame_response(frame_from_rows(columns, rows), fmt=fmt, filename=f"action-plan-{review.title}",
                          sheet="Action plan")


@require_roles(*REGISTER_KEEPERS)
def recommendation_create(request, pk: int):
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    themes = Theme.objects.filter(partnership=review.partnership)
    form = RecommendationForm(request.POST or None, agencies=agencies_in_partnership(request.user), themes=themes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        theme = data["theme"]
        if data["new_theme"]:
            theme = services.themes_from_names(review.partnership, [data["new_theme"]])[0]
        try:
            rec = services.recommendation_create(
                actor=request.user, review=review, number=data["number"], text=data["text"],
                addressees=list(data["addressees"]), groups=data["groups"], made_on=data["made_on"],
                theme=theme, source_paragraph=data["source_paragraph"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            drafts = rec.actions.count()
            messages.success(request, f"Recommendation {rec.number} has been added, with {drafts} draft "
                                      f"action{'s' if drafts != 1 else ''} for the addressees to complete.")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/recommendation_form.html", {"form": form, "review": review})


@require_roles(*REGISTER_KEEPERS)
def recommendation_upload(request, pk: int):
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    return upload_page(request, purpose=f"reviews.recommendations:{review.pk}",
                       template="reviews/recommendation_upload.html", context={"review": review},
                       run=lambda f: services.recommendations_import(actor=request.user, review=review, upload=f),
                       done_url=reverse("reviews:review_detail", kwargs={"pk": review.pk}))


@require_roles(*REGISTER_KEEPERS)
def recommendation_template(request, pk: int):
    """The recommendations upload's blank template."""
    review = get_object_or_404(reviews_for(request.user), pk=pk)
    return template_response(
        filename=f"recommendations-{review.pk}", sheet=RECOMMENDATIONS_SHEET, columns=RECOMMENDATION_COLUMNS,
        notes=["One recommendation a row. number: as in the report, for example 5.6. text: the recommendation.",
               "addressed to: the agencies, by name or one of their other names, separated by semicolons.",
               "theme and source paragraph: optional.",
               "A number already recorded with the same text is left as it is."])
