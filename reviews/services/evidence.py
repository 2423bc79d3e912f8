"""Evidence files: type judged from the bytes, a size limit, stored outside the web root."""

from __future__ import annotations

import datetime as dt
import os

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from partners.models import User
from safeguarding.audit import audit_record
from safeguarding.errors import DomainError, NotAllowed, full_clean_or_refuse
from safeguarding.inputs import shorten_file_name

from ..access import may_update_action
from ..models import Action, ActionStatus, Evidence

# extension -> (content type, what the bytes must be). Office files are zip containers that
# filetype recognises by their content; text files have no magic number and are checked apart.
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "csv": "text/csv",
    "txt": "text/plain",
}
TEXT_TYPES = {"csv", "txt"}
ALLOWED_LABEL = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG, CSV or plain text"


def evidence_max_bytes() -> int:
    return getattr(settings, "REVIEWS_EVIDENCE_MAX_BYTES", settings.UPLOAD_MAX_BYTES)


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError:
        try:
            data[:65536].decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True


def check_evidence_file(name: str, data: bytes) -> tuple[str, str]:
    """The checked extension and content type, or a DomainError saying why the file is refused."""
    limit = evidence_max_bytes()
    if not data:
        raise DomainError("The file is empty.", field="file")
    if len(data) > limit:
        raise DomainError(f"The file is {len(data) / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
                          field="file")
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in EVIDENCE_TYPES:
        raise DomainError(f"Files of this type are not accepted. Upload a {ALLOWED_LABEL} file.", field="file")
    kind = filetype.guess(data)
    if ext in TEXT_TYPES:
        if kind is not None or not _looks_like_text(data):
            raise DomainError(f"The file is called .{ext} but its contents are not plain text.", field="file")
        return ext, EVIDENCE_TYPES[ext]
    expected = "jpg" if ext == "jpeg" else ext
    if kind is None or kind.extension != expected:
        found = f" (it looks like a .{kind.extension} file)" if kind is not None else ""
        raise DomainError(f"The file is called .{ext} but its contents are not a {ext.upper()} file{found}. "
                          f"Upload the original document.", field="file")
    return ext, EVIDENCE_TYPES[ext]


@transaction.atomic
def evidence_add(*, actor: User, action: Action, upload, evidence_date: dt.date, description: str = "") -> Evidence:
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not may_update_action(actor, action):
        raise NotAllowed("Only the owner agency can add evidence to this action.")
    if action.status == ActionStatus.ASSURED:
        raise DomainError("This action has been assured and is closed: evidence can no longer be added.")
    if evidence_date is None:
        raise DomainError("Enter the date the evidence is from.", field="evidence_date")
    if evidence_date > timezone.localdate():
        raise DomainError("The evidence cannot be dated in the future.", field="evidence_date")
    limit = evidence_max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DomainError(f"The file is {size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.",
                          field="file")
    data = upload.read(limit + 1)
    original = shorten_file_name(os.path.basename(getattr(upload, "name", "") or "evidence"),
                                 Evidence._meta.get_field("original_name").max_length)
    ext, content_type = check_evidence_file(original, data)
    evidence = Evidence(action=action, original_name=original, extension=ext, content_type=content_type,
                        size=len(data), description=description.strip()[:300], evidence_date=evidence_date,
                        uploaded_by=actor)
    evidence.file.save(f"evidence.{ext}", ContentFile(data), save=False)
    # A refused row must not leave its file behind.
    try:
        full_clean_or_refuse(evidence)
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    audit_record(actor=actor, action="evidence.added", obj=action,
                 partnership=action.owner_agency.partnership,
                 data={"evidence": evidence.pk, "name": original, "size": len(data), "evidence_date": evidence_date})
    return evidence
