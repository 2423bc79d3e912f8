from tests.access.registry import FOUND, NOT_FOUND, Route, everyone, managers_only

# The outsider is a business manager of another partnership: this partnership's objects are 404.
ROUTES = [
    Route("partners:agency_list", everyone()),
    Route("partners:agency_create", managers_only()),
    Route("partners:agency_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.agency_b.slug}),
    Route("partners:agency_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.agency_b.slug}),
    Route("partners:subgroup_list", everyone()),
    Route("partners:subgroup_create", managers_only()),
    Route("partners:subgroup_detail", everyone(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.subgroup.slug}),
    Route("partners:subgroup_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"slug": w.subgroup.slug}),
    Route("partners:people_list", managers_only()),
    Route("partners:person_create", managers_only()),
    Route("partners:person_edit", managers_only(outsider=NOT_FOUND), kwargs=lambda w: {"pk": w.submitter_b.pk}),
    Route("partners:person_invite", managers_only(FOUND, outsider=NOT_FOUND), method="post",
          kwargs=lambda w: {"pk": w.submitter_b.pk}),
]


