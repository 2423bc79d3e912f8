from django.urls import path

from .views import catalogue, quarters, returns, review, spreadsheets

app_name = "datasets"

urlpatterns = [
    path("indicators/", catalogue.indicator_list, name="indicator_list"),
    path("indicators/new/", catalogue.indicator_create, name="indicator_create"),
    path("indicators/comparators/upload/", spreadsheets.comparators_upload_view, name="comparators_upload"),
    path("indicators/comparators/template/", spreadsheets.comparators_template, name="comparators_template"),
    path("indicators/<int:pk>/", catalogue.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", catalogue.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/targets/new/", catalogue.target_create, name="target_create"),
    path("indicators/<int:pk>/comparators/", catalogue.comparator_edit, name="comparator_edit"),
    path("quarters/", quarters.quarter_list, name="quarter_list"),
    path("quarters/new/", quarters.quarter_create, name="quarter_create"),
    path("quarters/<int:pk>/dates/", quarters.quarter_edit, name="quarter_edit"),
    path("quarters/<int:pk>/close/", quarters.quarter_close, name="quarter_close"),
    path("quarters/<int:pk>/completeness/", quarters.completeness, name="completeness"),
    path("quarters/<int:pk>/upload/", spreadsheets.bulk_upload_view, name="bulk_upload"),
    path("quarters/historical/", spreadsheets.historical_upload_view, name="historical_upload"),
    path("quarters/<int:pk>/upload/template/", spreadsheets.bulk_template, name="bulk_template"),
    path("returns/", returns.return_list, name="return_list"),
    path("returns/start/<int:quarter_pk>/<slug:agency_slug>/", returns.return_start, name="return_start"),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/<int:pk>/edit/", returns.return_edit, name="return_edit"),
    path("returns/<int:pk>/check/", returns.return_check, name="return_check"),
    path("returns/<int:pk>/history/", returns.return_history, name="return_history"),
    path("returns/<int:pk>/query/", review.return_query, name="return_query"),
    path("returns/<int:pk>/accept/", review.return_accept, name="return_accept"),
    path("returns/<int:pk>/reopen/", review.return_reopen, name="return_reopen"),
    path("returns/<int:pk>/download/", spreadsheets.return_download, name="return_download"),
    path("returns/<int:pk>/upload/", spreadsheets.return_upload_view, name="return_upload"),
]
