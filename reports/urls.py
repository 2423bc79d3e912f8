from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:year>/", views.report_detail, name="report_detail"),
    path("<int:year>/sections/<slug:key>/", views.narrative_edit, name="narrative_edit"),
    path("<int:year>/agencies/<slug:slug>/", views.agency_section_edit, name="agency_section_edit"),
    path("<int:year>/distribution/", views.distribution_edit, name="distribution_edit"),
    path("<int:year>/chapters/", views.report_compose, name="report_compose"),
    path("<int:year>/figures/<slug:key>/", views.chapter_figures_edit, name="chapter_figures_edit"),
    path("<int:year>/status/", views.report_transition, name="report_transition"),
    path("<int:year>/build/", views.report_build, name="report_build"),
    path("<int:year>/web/", views.report_edition, name="report_edition"),
    path("<int:year>/sent/", views.dispatch_add, name="dispatch_add"),
    path("<int:year>/web/download/", views.report_edition_download, name="report_edition_download"),
    path("builds/<int:pk>/", views.build_detail, name="build_detail"),
    path("builds/<int:pk>/retry/", views.build_retry, name="build_retry"),
    path("builds/<int:pk>/download/", views.build_download, name="build_download"),
    path("pci/", views.pci_list, name="pci_list"),
]
