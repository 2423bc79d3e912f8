from django.urls import path

from . import views
from .governance import views as governance

app_name = "partners"

urlpatterns = [
    path("start/", views.partnership_start, name="partnership_start"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/upload/", views.agency_upload, name="agency_upload"),
    path("agencies/upload/template/", views.agency_template, name="agency_template"),
    path("agencies/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("agencies/<slug:slug>/edit/", views.agency_edit, name="agency_edit"),
    path("subgroups/", views.subgroup_list, name="subgroup_list"),
    path("subgroups/new/", views.subgroup_create, name="subgroup_create"),
    path("subgroups/seats/upload/", views.seats_upload, name="seats_upload"),
    path("subgroups/seats/upload/template/", views.seats_template, name="seats_template"),
    path("subgroups/<slug:slug>/", views.subgroup_detail, name="subgroup_detail"),
    path("subgroups/<slug:slug>/edit/", views.subgroup_edit, name="subgroup_edit"),
    path("subgroups/<slug:slug>/seats/new/", governance.seat_create, name="seat_create"),
    path("subgroups/<slug:slug>/seats/<int:pk>/", governance.seat_edit, name="seat_edit"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/upload/", views.people_upload, name="people_upload"),
    path("people/upload/template/", views.people_template, name="people_template"),
    path("people/<int:pk>/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/reset-two-step/", views.person_reset_second_factor, name="person_reset_second_factor"),
    # Governance: meetings and attendance, the budget, priorities (the annual report reads them).
    path("governance/", governance.governance_index, name="governance"),
    path("governance/attendance-target/", governance.attendance_target_edit, name="attendance_target_edit"),
    path("governance/meetings/new/", governance.meeting_create, name="meeting_create"),
    path("governance/meetings/<int:pk>/", governance.meeting_edit, name="meeting_edit"),
    path("governance/budget/<int:year>/", governance.budget_edit, name="budget_edit"),
    path("governance/budget/<int:year>/lines/new/", governance.budget_line_add, name="budget_line_add"),
    path("governance/budget/lines/<int:pk>/delete/", governance.budget_line_delete, name="budget_line_delete"),
    path("governance/priorities/new/", governance.priority_create, name="priority_create"),
    path("governance/priorities/<int:pk>/", governance.priority_edit, name="priority_edit"),
]
