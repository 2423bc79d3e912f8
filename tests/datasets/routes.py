"""Every datasets URL with what each persona gets. Objects belong to agency B (the council)."""

from tests.access.registry import FORBIDDEN, FOUND, NOT_FOUND, OK, Route, everyone, managers_only, shape

from .conftest import entries_for, make_catalogue


def build(world):
    from datasets import services

    cat = make_catalogue(world)
    b = world.submitter_b
    ret_b, _ = services.return_get_or_create(actor=b, agency=world.agency_b, quarter=cat.quarter)
    services.return_values_save(actor=b, ret=ret_b, version=ret_b.updated_at.isoformat(), entries=entries_for(
        ret_b, **{"LA-CPP/NEGLECT": {"value": "40"}, "LA-CPP/EMOTIONAL": {"value": "20"},
                  "LA-CPP/PHYSICAL": {"value": "10"}, "LA-CPP/SEXUAL": {"value": "5"},
                  "LA-CPP/MULTIPLE": {"value": "5"},
                  "LA-CPP-RATE": {"numerator": "80", "denominator": "20000"}}))
    services.return_submit(actor=b, ret=ret_b)
    draft_b, _ = services.return_get_or_create(actor=b, agency=world.agency_b, quarter=cat.previous)
    world.ds_cat, world.ds_ret_b, world.ds_draft_b = cat, ret_b, draft_b


def _ret(w):
    return {"pk": w.ds_ret_b.pk}


def _draft(w):
    return {"pk": w.ds_draft_b.pk}


def _ind(w):
    return {"pk": w.ds_cat.cpp.pk}


def _quarter(w):
    return {"pk": w.ds_cat.quarter.pk}


# A submitted return of B: B's submitter and the readers see it; nobody else.
READ_B = shape(NOT_FOUND, submitter_b=OK, pci=OK, manager=OK)
# B's draft: only those who act for B (its submitter and the business manager).
DRAFT_B = shape(NOT_FOUND, submitter_b=OK, manager=OK)
REVIEW_B = shape(NOT_FOUND, submitter_b=FORBIDDEN, pci=OK, manager=OK)

ROUTES = [
    Route("datasets:indicator_list", everyone()),
    Route("datasets:indicator_create", managers_only()),
    Route("datasets:comparators_upload", managers_only()),
    Route("datasets:comparators_template", managers_only()),
    Route("datasets:indicator_detail", everyone(outsider=NOT_FOUND), kwargs=_ind),
    Route("datasets:indicator_edit", managers_only(outsider=NOT_FOUND), kwargs=_ind),
    Route("datasets:target_create", managers_only(outsider=NOT_FOUND), kwargs=_ind),
    Route("datasets:comparator_edit", managers_only(outsider=NOT_FOUND), kwargs=_ind),
    Route("datasets:quarter_list", everyone()),
    Route("datasets:quarter_create", managers_only()),
    Route("datasets:quarter_edit", managers_only(outsider=NOT_FOUND), kwargs=_quarter),
    Route("datasets:quarter_close", managers_only(FOUND, outsider=NOT_FOUND), kwargs=_quarter, method="post"),
    Route("datasets:quarter_close", managers_only(outsider=NOT_FOUND), kwargs=_quarter,
          note="GET: the confirmation page (issue 16.5)"),
    Route("datasets:completeness", shape(FORBIDDEN, designated=OK, pci=OK, manager=OK, outsider=NOT_FOUND),
          kwargs=_quarter),
    Route("datasets:completeness", shape(FORBIDDEN, designated=OK, pci=OK, manager=OK, outsider=NOT_FOUND),
          kwargs=_quarter, query="health=1", note="the health economy's agencies only"),
    Route("datasets:bulk_upload", managers_only(outsider=NOT_FOUND), kwargs=_quarter),
    Route("datasets:bulk_template", managers_only(outsider=NOT_FOUND), kwargs=_quarter),
    Route("datasets:historical_upload", managers_only()),
    Route("datasets:return_list", everyone()),
    Route("datasets:return_start", shape(NOT_FOUND, submitter_b=FOUND, manager=FOUND), method="post",
          kwargs=lambda w: {"quarter_pk": w.ds_cat.quarter.pk, "agency_slug": w.agency_b.slug}),
    Route("datasets:return_detail", READ_B, kwargs=_ret),
    Route("datasets:return_history", READ_B, kwargs=_ret),
    Route("datasets:return_download", READ_B, kwargs=_ret),
    Route("datasets:return_edit", DRAFT_B, kwargs=_draft),
    Route("datasets:return_check", DRAFT_B, kwargs=_draft),
    Route("datasets:return_upload", DRAFT_B, kwargs=_draft),
    Route("datasets:return_query", REVIEW_B, kwargs=_ret),
    Route("datasets:return_accept", shape(NOT_FOUND, submitter_b=FORBIDDEN, pci=FOUND, manager=FOUND),
          kwargs=_ret, method="post"),
    Route("datasets:return_accept", REVIEW_B, kwargs=_ret, note="GET: the confirmation page (issue 16.5)"),
    Route("datasets:return_reopen", shape(NOT_FOUND, submitter_b=FORBIDDEN, pci=FORBIDDEN, manager=OK),
          kwargs=_ret),
]
