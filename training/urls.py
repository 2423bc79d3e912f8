from django.urls import path

from .views import dashboards, programme, returns, setup

app_name = "training"

urlpatterns = [
    path("", dashboards.index, name="index"),
    path("setup/", setup.setup, name="setup"),
    path("setup/levels/new/", setup.level_create, name="level_create"),
    path("setup/levels/<int:pk>/", setup.level_edit, name="level_edit"),
    path("setup/staff-groups/new/", setup.staff_group_create, name="staff_group_create"),
    path("setup/staff-groups/<int:pk>/", setup.staff_group_edit, name="staff_group_edit"),
    path("setup/targets/new/", setup.target_create, name="target_create"),
    path("returns/", returns.return_list, name="return_list"),
    path("returns/start/", returns.return_start, name="return_start"),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/<int:pk>/figures/", returns.return_edit, name="return_edit"),
    path("returns/<int:pk>/download/", returns.return_download, name="return_download"),
    path("returns/<int:pk>/upload/", returns.return_upload, name="return_upload"),
    path("returns/<int:pk>/<slug:action>/", returns.return_action, name="return_action"),
    path("compliance/", dashboards.compliance, name="compliance"),
    path("compliance/export/", dashboards.compliance_export, name="compliance_export"),
    path("programme/", dashboards.programme, name="programme"),
    path("programme/export/", dashboards.programme_export, name="programme_export"),
    path("programme/attendance/upload/", programme.attendance_upload, name="attendance_upload"),
    path("programme/attendance/template/", programme.attendance_template, name="attendance_template"),
    path("programme/courses/new/", programme.course_create, name="course_create"),
    path("programme/courses/<int:pk>/", programme.course_detail, name="course_detail"),
    path("programme/courses/<int:pk>/edit/", programme.course_edit, name="course_edit"),
    path("programme/courses/<int:pk>/sessions/new/", programme.session_create, name="session_create"),
    path("programme/sessions/<int:pk>/", programme.session_detail, name="session_detail"),
    path("programme/sessions/<int:pk>/edit/", programme.session_edit, name="session_edit"),
    path("programme/sessions/<int:pk>/evaluation/", programme.session_evaluation, name="session_evaluation"),
]
