from tests.access.registry import FOUND, OK, PERSONAS, Route, everyone, managers_only, shape

OPEN = dict.fromkeys(PERSONAS, OK)
# Sign-in pages send people who are already signed in on to their home page.
SIGN_IN = shape(FOUND, anonymous=OK)

ROUTES = [
    Route("home", everyone()),
    Route("healthz", OPEN),
    Route("audit_log", managers_only()),
    Route("notifications", everyone()),
    Route("notifications", shape(FOUND), method="post", data=lambda w: {"mark_read": "1"},
          note="marks only the person's own notifications read"),
    Route("login", SIGN_IN),
    # Two-step sign-in (issue 11.6): with no password step passed, the code step sends anonymous
    # people to sign in, and signed-in (verified) people on; anyone signed in may set up an app.
    Route("two_step_verify", shape(FOUND)),
    Route("two_step_setup", everyone()),
    Route("logout", dict.fromkeys(OPEN, FOUND), method="post"),
    Route("password_reset", OPEN),
    Route("password_reset_done", OPEN),
    Route("password_reset_confirm", OPEN, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    Route("password_reset_complete", OPEN),
]


