"""Request and response rules that hold for every page (issue 11, points 4 and 5).

- ``RefuseControlCharactersMiddleware``: a control character (NUL above all) in the path, the
  query string, a POSTed field's name or value, or an uploaded file's name answers 400 with a
  page naming where it was, before any view, form or query sees it.
- ``NoStoreMiddleware``: pages, exports and downloads served to a signed-in person carry
  ``Cache-Control: private, no-store``, so a shared computer's browser or a proxy keeps no copy
  of safeguarding data.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .inputs import control_character_problem


def _problem_in(items, *, kind: str) -> str | None:
    for key, values in items:
        problem = control_character_problem(key, where=f"the name of a {kind}")
        if problem:
            return problem
        for value in values:
            if isinstance(value, str):
                problem = control_character_problem(value, where=f"the {kind} ‘{key[:40]}’")
                if problem:
                    return problem
    return None


def bad_input(request, problem: str):
    """The 400 page, saying what was refused."""
    return render(request, "errors/400.html", {"problem": problem}, status=400)


class RefuseControlCharactersMiddleware:
    """Answer 400 when any input holds a control character (``safeguarding.inputs``).

    The path and query string are checked on the way in; POSTed fields and uploaded file names
    in ``process_view``, so that anything limiting the request body earlier in the chain still
    acts before the body is parsed. Uploaded file contents are the spreadsheet reader's (it
    refuses a NUL anywhere in a CSV, naming the line).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = (control_character_problem(request.path_info, where="the address")
                   or _problem_in(request.GET.lists(), kind="query parameter"))
        if problem:
            return bad_input(request, problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        problem = _problem_in(request.POST.lists(), kind="field")
        if not problem:
            for name, files in request.FILES.lists():
                for upload in files:
                    problem = control_character_problem(upload.name or "", where=f"the file name in ‘{name}’")
                    if problem:
                        break
                if problem:
                    break
        return bad_input(request, problem) if problem else None


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person (pages,
    CSV/XLSX exports, evidence and built PDFs), merged into whatever the view set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
