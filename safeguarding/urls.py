from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from .auth import NewPasswordForm, ResetRequestForm
from .views import audit, health, home, notifications, password_reset, two_step

handler400 = "safeguarding.views.errors.bad_request"
handler403 = "safeguarding.views.errors.permission_denied"
handler404 = "safeguarding.views.errors.page_not_found"
handler500 = "safeguarding.views.errors.server_error"

auth_patterns = [
    path("sign-in/", two_step.SignInView.as_view(), name="login"),
    path("two-step/", two_step.two_step_verify, name="two_step_verify"),
    path("two-step/set-up/", two_step.two_step_setup, name="two_step_setup"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", password_reset.ThrottledPasswordResetView.as_view(
        form_class=ResetRequestForm,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        html_email_template_name="registration/password_reset_email.html",
        success_url=reverse_lazy("password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", password_reset.ActivePasswordResetConfirmView.as_view(
        form_class=NewPasswordForm, success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("audit/", audit.audit_log, name="audit_log"),
    path("account/notifications/", notifications.notifications, name="notifications"),
    path("account/", include(auth_patterns)),
    path("", include("partners.urls")),
    path("datasets/", include("datasets.urls")),
    path("reviews/", include("reviews.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("reports.dashboards.urls")),
    path("django-admin/", admin.site.urls),
]
