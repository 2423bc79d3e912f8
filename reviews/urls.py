from django.urls import path

from .views import actions, challenges, overview, register

app_name = "reviews"

urlpatterns = [
    path("", register.review_list, name="review_list"),
    path("new/", register.review_create, name="review_create"),
    path("<int:pk>/", register.review_detail, name="review_detail"),
    path("<int:pk>/edit/", register.review_edit, name="review_edit"),
    path("<int:pk>/export/<str:fmt>/", register.review_export, name="review_export"),
    path("<int:pk>/recommendations/new/", register.recommendation_create, name="recommendation_create"),
    path("<int:pk>/recommendations/upload/", register.recommendation_upload, name="recommendation_upload"),
    path("<int:pk>/recommendations/template/", register.recommendation_template, name="recommendation_template"),
    path("recommendations/<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/progress/", actions.action_progress, name="action_progress"),
    path("actions/<int:pk>/evidence/", actions.action_evidence, name="action_evidence"),
    path("actions/<int:pk>/assure/", actions.action_assure, name="action_assure"),
    path("actions/<int:pk>/return/", actions.action_return, name="action_return"),
    path("evidence/<int:pk>/", actions.evidence_download, name="evidence_download"),
    path("my-actions/", actions.my_actions, name="my_actions"),
    path("overdue/", overview.overdue, name="overdue"),
    path("overdue/<slug:slug>/", overview.agency_overdue, name="agency_overdue"),
    path("themes/", overview.themes, name="themes"),
    path("actions/export/<str:fmt>/", overview.actions_export, name="actions_export"),
    path("challenges/", challenges.challenge_list, name="challenge_list"),
    path("challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/", challenges.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/respond/", challenges.challenge_respond, name="challenge_respond"),
    path("challenges/<int:pk>/outcome/", challenges.challenge_decide, name="challenge_decide"),
    path("challenges/<int:pk>/actions/new/", actions.challenge_action_create,
         name="challenge_action_create"),
]
