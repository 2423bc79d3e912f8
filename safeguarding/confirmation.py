"""The one confirm-then-act view pattern (issue 16.5): every step that locks or unlocks something
(accept a return, reopen it, close or reopen a quarter, approve or publish the annual report)
shows on GET a page that says what will happen, and on POST does it.

``confirm_then_act`` is the whole handler: the page (``includes/confirm_page.html``, or a page of
the app's own with the same context), the optional form (a comment), the service call, the
refusal shown as a message (or beside the form), and the redirect. A view says only which
object, which page, which service and where to go after; so the pages cannot drift apart in how
they treat a refusal, a form error or a person who may not act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import DomainError, NotAllowed
from .forms import apply_domain_error

CONFIRM_TEMPLATE = "includes/confirm_page.html"


@dataclass
class Confirmation:
    """What a confirmation page says. ``locks``: what confirming locks or unlocks, one sentence
    each; ``warning``: the button is red (a step that is hard to undo); ``hidden``: (name, value)
    pairs posted with the button; ``extra``: more context for an app's own template.

    ``blockers``: why the step cannot be taken yet, one sentence each (from the app's selectors,
    in the words its service refuses with). When there are any, the page says them first, in
    place of what confirming would do, and offers no button: a page never invites a step that
    will only be refused (issue 15)."""

    title: str
    button: str
    back_url: str
    locks: list[str] = field(default_factory=list)
    caption: str = ""
    lead: str = ""
    warning: bool = False
    hidden: list[tuple[str, str]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    blockers: list[str] = field(default_factory=list)


def confirm_then_act(request: HttpRequest, *, page: Confirmation | Callable[[], Confirmation],
                     act: Callable[[dict], str], done_url: str, form: forms.Form | None = None,
                     template: str = CONFIRM_TEMPLATE, refusal_on_page: bool = False,
                     not_allowed_is_403: bool = False) -> HttpResponse:
    """GET: the confirmation ``page`` (built lazily when a callable), with ``form`` if any; when
    the page has ``blockers`` it says why the step cannot be taken yet and offers no button.

    POST: ``form`` (bound by the caller to ``request.POST``) is validated first: errors show on the
    page again (GOV.UK error summary). Then ``act(cleaned_data)`` (``{}`` without a form) calls the
    service and returns the success message; the person is sent to ``done_url``. A refusal
    (``DomainError``) becomes an error message and the same redirect, or, with
    ``refusal_on_page``, errors beside the form on the page again. Several problems
    (``error.problems``, as ``ReturnNotReady`` carries) are one message each. ``NotAllowed``
    answers 403 when ``not_allowed_is_403``, else it is a refusal like any other.
    """
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            done = act(form.cleaned_data if form is not None else {})
        except NotAllowed as error:
            if not_allowed_is_403:
                raise PermissionDenied(error.message) from None
            if not _refused(request, error, form, refusal_on_page):
                return redirect(done_url)
        except DomainError as error:
            if not _refused(request, error, form, refusal_on_page):
                return redirect(done_url)
        else:
            messages.success(request, done)
            return redirect(done_url)
    confirmation = page() if callable(page) else page
    context = {"title": confirmation.title, "caption": confirmation.caption, "back_url": confirmation.back_url,
               "lead": confirmation.lead, "locks": confirmation.locks, "button": confirmation.button,
               "warning": confirmation.warning, "hidden": confirmation.hidden, "form": form,
               "blockers": confirmation.blockers, **confirmation.extra}
    return render(request, template, context)


def _refused(request, error: DomainError, form, on_page: bool) -> bool:
    """Show the refusal; True when it is shown on the page (render again), False for a message."""
    if on_page and form is not None:
        apply_domain_error(form, error)
        return True
    for problem in getattr(error, "problems", None) or [error.message]:
        messages.error(request, problem)
    return False
