"""Error pages in the service's own style; never a stack trace."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def _database_down(exception: BaseException | None) -> bool:
    """Whether the database being unreachable is behind ``exception`` (directly or as its cause)."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        exception, seen = exception.__cause__ or exception.__context__, seen + 1
    return False


def _unavailable() -> HttpResponse:
    response = HttpResponse(loader.get_template("errors/503.html").render({}), status=503)
    response["Retry-After"] = "30"
    return response


def bad_request(request, exception=None):
    # Saving the session during a database outage surfaces as SessionInterrupted (a 400);
    # what the person needs to hear is that the service is briefly unavailable.
    if _database_down(exception):
        return _unavailable()
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """500, or 503 when the cause is the database being unreachable (a restart, a failover).

    Django calls this inside its exception handler, so ``sys.exc_info()`` still holds the cause,
    wherever it was raised (a view, or the session middleware saving on the way out). Both pages
    render without the request: the context processors would need the database.
    """
    if _database_down(sys.exc_info()[1]):
        return _unavailable()
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
