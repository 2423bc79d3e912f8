"""Preview before saving, for every upload page (issue 14, "Templates and preview").

An upload page first shows what the file would change — lines added, changed (from what to
what), unchanged, and rows refused — and saves only when the person presses "Save these changes".

How it works, in one place for every importer:

- An importer is a service ``run(upload, **options) -> UploadChanges`` that reads, checks and
  saves in one transaction (raising ``UploadRejected`` for refused rows, ``DomainError`` for a
  refusal of the whole file).
- ``upload_preview`` runs it inside a transaction that is always rolled back, so the preview
  uses exactly the checks and comparisons of the real save, and nothing leaks (audit rows,
  queued emails and tasks are rolled back with it).
- The file stays on the server (``safeguarding.models.PendingUpload``), keyed by a random token
  the page posts back with the digest of the changes shown; the browser never re-posts the data.
- ``upload_commit`` runs the importer again, for real, on the kept file, and keeps the result only
  if its changes are the ones that were shown; otherwise (someone changed the data meanwhile) it
  rolls back and raises ``StaleUpload`` with the changes as they would be now.

``upload_page`` is the view helper every upload page uses; ``templates/includes/upload.html``
draws the form, the refused rows and the preview. Counts in messages go through
``safeguarding.plurals.counted`` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from .errors import DomainError
from .models import PendingUpload
from .plurals import counted
from .uploads import UploadRejected

__all__ = ["Change", "StaleUpload", "UploadChanges", "changed_fields", "counted", "upload_commit", "upload_page",
           "upload_preview"]

PENDING_HOURS = 2  # how long a previewed file waits for "Save these changes"
LISTED_CHANGES = 200  # change lines shown on the page; the count says how many more


@dataclass(frozen=True)
class Change:
    """One line an upload adds, changes or removes. ``row`` is the file's own row (None for a line
    removed because the file replaces a whole set); ``before`` is None for an added line and
    ``after`` None for a removed one. ``fields`` names what changed on a changed line ("source",
    "source date"), so a change the before/after text does not show is still said."""

    row: int | None
    what: str
    before: str | None
    after: str | None
    fields: tuple[str, ...] = ()


@dataclass
class UploadChanges:
    """What an upload changes (or changed), counted in its own noun ("figure", "comparator")."""

    singular: str = "row"
    plural: str | None = None
    # The heading of the preview's column naming each line, in the importer's terms ("Agency",
    # "Email address", "Agency, quarter and figure").
    what_heading: str = "What"
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # facts true before and after saving ("Row 4: … is part of …")
    # Effects that happen on saving, as (what the preview says, what the saved message says):
    # ("40 new people will be emailed …", "40 new people have been emailed …"); see ``effect``.
    effects: list[tuple[str, str]] = field(default_factory=list)

    def effect(self, *, will: str, done: str) -> None:
        """Record an effect of saving in both tenses, so the preview never says it happened."""
        self.effects.append((will, done))

    @property
    def preview_notes(self) -> list[str]:
        """The notes and the effects as the preview says them (future tense)."""
        return self.notes + [will for will, _ in self.effects]

    def count(self, n: int) -> str:
        return counted(n, self.singular, self.plural)

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def lines(self) -> list[tuple[str, Change]]:
        """Every change as (kind, change), in file order, kinds "added", "changed", "removed"."""
        out = ([("added", c) for c in self.added] + [("changed", c) for c in self.changed]
               + [("removed", c) for c in self.removed])
        return sorted(out, key=lambda pair: (pair[1].row is None, pair[1].row or 0))

    @property
    def listed(self) -> list[tuple[str, Change]]:
        return self.lines[:LISTED_CHANGES]

    @property
    def not_listed(self) -> int:
        return max(0, len(self.added) + len(self.changed) + len(self.removed) - LISTED_CHANGES)

    @property
    def message(self) -> str:
        """One sentence for the page: what was saved, or that nothing changed."""
        if self.nothing_changed:
            return (f"Nothing changed: the file's {self.count(self.unchanged)} "
                    f"{'matches' if self.unchanged == 1 else 'match'} what is already saved."
                    if self.unchanged else "Nothing changed: the file holds nothing to save.")
        parts = [f"{self.count(len(self.added))} added" if self.added else "",
                 f"{self.count(len(self.changed))} changed" if self.changed else "",
                 f"{self.count(len(self.removed))} removed" if self.removed else "",
                 f"{self.count(self.unchanged)} unchanged" if self.unchanged else ""]
        text = ", ".join(p for p in parts if p)
        return f"Saved: {text}." + "".join(f" {note}" for note in self.notes + [d for _, d in self.effects])

    def digest(self) -> str:
        """A fingerprint of the changes, to tell whether the data moved between preview and save."""
        body = json.dumps([[kind, c.row, c.what, c.before, c.after, c.fields] for kind, c in self.lines]
                          + [self.unchanged, self.notes, self.effects], sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()


def changed_fields(before: dict, after: dict, labels: dict[str, str]) -> tuple[str, ...]:
    """The labels of the keys whose values differ, in ``labels`` order: what a changed line changes."""
    return tuple(label for key, label in labels.items() if before.get(key) != after.get(key))


class StaleUpload(DomainError):
    """The saved data changed after the preview; ``changes`` are what the file would do now."""

    def __init__(self, changes: UploadChanges):
        super().__init__("The saved data changed after you checked this file. Here is what it would change "
                         "now: check it again before saving.")
        self.changes = changes


class _Rollback(Exception):
    def __init__(self, changes: UploadChanges):
        self.changes = changes


Run = Callable[..., UploadChanges]


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, bytes(content))


def upload_preview(*, run: Run, name: str, content: bytes, options: dict | None = None) -> UploadChanges:
    """What ``run`` would change with this file, computed by running it and rolling back.
    Raises what ``run`` raises (``UploadRejected``, ``DomainError``)."""
    try:
        with transaction.atomic():
            raise _Rollback(run(_file(name, content), **(options or {})))
    except _Rollback as done:
        return done.changes


def upload_commit(*, run: Run, pending: PendingUpload) -> UploadChanges:
    """Save the kept file's changes if they are still the ones previewed; else ``StaleUpload``."""
    try:
        with transaction.atomic():
            changes = run(_file(pending.filename, pending.content), **pending.options)
            if changes.digest() != pending.digest:
                raise _Rollback(changes)
    except _Rollback as stale:
        raise StaleUpload(stale.changes)
    return changes


def pending_keep(*, user, purpose: str, name: str, content: bytes, options: dict,
                 changes: UploadChanges) -> PendingUpload:
    """Keep a previewed file for its person, and forget files left waiting too long."""
    PendingUpload.objects.filter(created_at__lt=timezone.now() - dt.timedelta(hours=PENDING_HOURS)).delete()
    return PendingUpload.objects.create(token=secrets.token_urlsafe(32), user=user, purpose=purpose,
                                        filename=name[:255], content=content, options=options,
                                        digest=changes.digest())


def _pending(request, purpose: str) -> PendingUpload | None:
    token = request.POST.get("token", "")
    if not token or len(token) > 64:
        return None
    return PendingUpload.objects.filter(
        token=token, user=request.user, purpose=purpose,
        created_at__gte=timezone.now() - dt.timedelta(hours=PENDING_HOURS)).first()


def upload_page(request, *, purpose: str, template: str, context: dict, run: Run, done_url: str,
                form_class=None):
    """The whole upload page: the form, then the preview, then "Save these changes".

    ``purpose`` names the page and its object ("datasets.return:42"), so a token cannot be used
    on another page; ``run(upload, **options)`` is the importer (``options`` are the form's other
    fields, JSON-serialisable); ``done_url`` is where the page goes once the changes are saved.
    """
    from .forms import UploadFileForm

    form_class = form_class or UploadFileForm
    page = {**context, "row_errors": None, "preview": None, "token": None, "stale": False}
    if request.method == "POST" and "token" in request.POST:
        pending = _pending(request, purpose)
        if pending is None:
            messages.error(request, "That upload is no longer waiting to be saved (it was saved already, or "
                                    "it is over two hours old): upload the file again.")
            return redirect(request.path)
        try:
            changes = upload_commit(run=run, pending=pending)
        except StaleUpload as stale:
            pending.digest = stale.changes.digest()
            pending.save(update_fields=["digest"])
            page.update(preview=stale.changes, token=None if stale.changes.nothing_changed else pending.token,
                        stale=True)
            return render(request, template, {**page, "form": form_class()})
        except UploadRejected as rejected:
            pending.delete()
            page["row_errors"] = rejected.errors
            form = form_class()
            form.add_error(None, "The saved data changed after you checked this file, and the file is now "
                                 f"refused: {counted(len(rejected.errors), 'problem')} listed below. Nothing has "
                                 "been saved.")
            return render(request, template, {**page, "form": form})
        except DomainError as error:
            pending.delete()
            form = form_class()
            form.add_error(None, error.message)
            return render(request, template, {**page, "form": form})
        pending.delete()
        messages.success(request, changes.message)
        return redirect(done_url)

    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(settings.UPLOAD_MAX_BYTES + 1)
        options = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            changes = upload_preview(run=run, name=upload.name, content=content, options=options)
        except UploadRejected as rejected:
            page["row_errors"] = rejected.errors
            form.add_error("file", f"The file was not accepted: {counted(len(rejected.errors), 'problem')} listed "
                                   "below. Nothing has been saved.")
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            page["preview"] = changes
            if not changes.nothing_changed:
                page["token"] = pending_keep(user=request.user, purpose=purpose, name=upload.name,
                                             content=content, options=options, changes=changes).token
    return render(request, template, {**page, "form": form})
