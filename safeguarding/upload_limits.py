"""Refuse an oversized request body before any of it is read (issue 11 point 3).

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count uploaded files, and a multipart body is
read (to a temporary file) before a view can look at a file's size. This middleware answers 413
from the declared ``Content-Length`` alone, so a worker never receives more than
``REQUEST_MAX_BYTES`` (the largest upload the portal accepts plus room for the form's other
fields). The proxy in front must also limit bodies (nginx ``client_max_body_size``) and
gunicorn keeps its default header limits: see the README's Deployment section.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

# Room for the multipart boundaries and the form's other fields around the file itself.
MULTIPART_OVERHEAD = 256 * 1024


def request_max_bytes() -> int:
    """The largest request body accepted: the largest file limit plus the multipart overhead."""
    largest = max(settings.UPLOAD_MAX_BYTES, getattr(settings, "REVIEWS_EVIDENCE_MAX_BYTES", 0),
                  settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    return getattr(settings, "REQUEST_MAX_BYTES", None) or largest + MULTIPART_OVERHEAD


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than ``request_max_bytes()``.

    Placed before any middleware that reads the body (CSRF reads ``request.POST`` in
    ``process_view``, which runs after every middleware's request phase). A body without a
    ``Content-Length`` is read by Django as empty, so it cannot bypass the check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_max_bytes()
        if length > limit:
            return render(request, "errors/413.html", {"limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
                                                       "size_mb": f"{length / 1048576:.1f}"}, status=413)
        return self.get_response(request)
