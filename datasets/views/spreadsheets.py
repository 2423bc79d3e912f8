"""Returns as spreadsheets: download, upload one return, the manager's bulk upload."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from partners.access import MANAGERS, require_roles
from safeguarding.errors import DomainError
from safeguarding.exports import xlsx_response
from safeguarding.uploads import UploadRejected

from .. import selectors
from ..forms import UploadForm
from ..models import Quarter
from ..spreadsheets import bulk_upload, return_filename, return_upload, sheet_frame
from ..spreadsheets.comparators import comparators_upload
from ..spreadsheets.download import INSTRUCTIONS
from ..spreadsheets.layout import SHEET
from .returns import _editable_return


@login_required
def return_download(request, pk: int):
    ret = selectors.return_for(request.user, pk)
    return xlsx_response({SHEET: sheet_frame(selectors.return_sheet(ret))}, filename=return_filename(ret),
                         notes={"Instructions": INSTRUCTIONS})


def _upload_page(request, *, template: str, context: dict, run):
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = run(form.cleaned_data["file"])
        except UploadRejected as rejected:
            errors = rejected.errors
            form.add_error("file", f"The file was not accepted: {len(errors)} problem"
                                   f"{'s' if len(errors) != 1 else ''} listed below. Nothing has been saved.")
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, outcome.message)
            return None
    return render(request, template, {**context, "form": form, "row_errors": errors})


@login_required
def return_upload_view(request, pk: int):
    ret = _editable_return(request, pk)
    if not ret.is_editable:
        messages.info(request, "This return cannot be changed, so nothing can be uploaded into it.")
        return redirect("datasets:return_detail", pk=ret.pk)
    page = _upload_page(request, template="datasets/return_upload.html", context={"ret": ret},
                        run=lambda f: return_upload(actor=request.user, ret=ret, upload=f))
    return page or redirect("datasets:return_edit", pk=ret.pk)


@require_roles(*MANAGERS)
def bulk_upload_view(request, pk: int):
    quarter = get_object_or_404(Quarter, pk=pk, partnership_id=request.user.partnership_id)
    page = _upload_page(request, template="datasets/bulk_upload.html", context={"quarter": quarter},
                        run=lambda f: bulk_upload(actor=request.user, partnership=request.user.partnership,
                                                  upload=f, quarter=quarter))
    return page or redirect("datasets:completeness", pk=quarter.pk)


@require_roles(*MANAGERS)
def comparators_upload_view(request):
    def run(upload):
        count = comparators_upload(actor=request.user, partnership=request.user.partnership, upload=upload)
        return SimpleNamespace(message=f"{count} comparator{'s' if count != 1 else ''} saved.")

    page = _upload_page(request, template="datasets/comparators_upload.html", context={}, run=run)
    return page or redirect("datasets:indicator_list")
