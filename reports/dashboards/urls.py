"""PCI dashboards, under /dashboards/."""

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.overview, name="overview_export"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("exceptions/export.<str:fmt>", views.exceptions, name="exceptions_export"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("indicators/<str:code>/export.<str:fmt>", views.indicator, name="indicator_export"),
    path("agencies/<slug:slug>/", views.agency, name="agency"),
    path("agencies/<slug:slug>/export.<str:fmt>", views.agency, name="agency_export"),
]
