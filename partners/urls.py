from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("agencies/<slug:slug>/edit/", views.agency_edit, name="agency_edit"),
    path("subgroups/", views.subgroup_list, name="subgroup_list"),
    path("subgroups/new/", views.subgroup_create, name="subgroup_create"),
    path("subgroups/<slug:slug>/", views.subgroup_detail, name="subgroup_detail"),
    path("subgroups/<slug:slug>/edit/", views.subgroup_edit, name="subgroup_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
]
