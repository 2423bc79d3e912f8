"""Returns as spreadsheets: download, upload one return, the manager's bulk upload."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from partners.access import MANAGERS, require_roles
from safeguarding.exports import xlsx_response
from safeguarding.forms import UploadFileForm
from safeguarding.upload_preview import upload_page
from safeguarding.upload_templates import template_response

from .. import selectors
from ..models import Quarter
from ..spreadsheets import bulk_upload, return_filename, return_upload, sheet_frame
from ..spreadsheets.comparators import COMPARATOR_COLUMNS, COMPARATORS_SHEET, comparators_upload
from ..spreadsheets.download import INSTRUCTIONS
from ..spreadsheets.historical import historical_upload
from ..spreadsheets.layout import COLUMN_TITLES, SHEET
from .returns import _editable_return


@login_required
def return_download(request, pk: int):
    ret = selectors.return_for(request.user, pk)
    return xlsx_response({SHEET: sheet_frame(selectors.return_sheet(ret))}, filename=return_filename(ret),
                         notes={"Instructions": INSTRUCTIONS})


@login_required
def return_upload_view(request, pk: int):
    ret = _editable_return(request, pk)
    if not ret.is_editable:
        messages.info(request, "This return cannot be changed, so nothing can be uploaded into it.")
        return redirect("datasets:return_detail", pk=ret.pk)
    return upload_page(request, purpose=f"datasets.return:{ret.pk}", template="datasets/return_upload.html",
                       context={"ret": ret}, run=lambda f: return_upload(actor=request.user, ret=ret, upload=f),
                       done_url=reverse("datasets:return_edit", kwargs={"pk": ret.pk}))


@require_roles(*MANAGERS)
def bulk_upload_view(request, pk: int):
    quarter = get_object_or_404(Quarter, pk=pk, partnership_id=request.user.partnership_id)
    return upload_page(request, purpose=f"datasets.bulk:{quarter.pk}", template="datasets/bulk_upload.html",
                       context={"quarter": quarter},
                       run=lambda f: bulk_upload(actor=request.user, partnership=request.user.partnership,
                                                 upload=f, quarter=quarter),
                       done_url=reverse("datasets:completeness", kwargs={"pk": quarter.pk}))


class HistoricalUploadForm(UploadFileForm):
    source = forms.CharField(max_length=300, label="Where these figures come from",
                             help_text="For example, ‘PCI dataset workbook 2021/22, as presented to the board’. "
                                       "It is kept with every figure's history.")


@require_roles(*MANAGERS)
def historical_upload_view(request):
    """Past years from the old spreadsheets, loaded as historical returns (issue 12.8)."""
    return upload_page(request, purpose="datasets.historical", template="datasets/historical_upload.html",
                       context={}, form_class=HistoricalUploadForm,
                       run=lambda f, source="": historical_upload(actor=request.user,
                                                                  partnership=request.user.partnership,
                                                                  upload=f, source=source),
                       done_url=reverse("datasets:quarter_list"))


@require_roles(*MANAGERS)
def comparators_upload_view(request):
    return upload_page(request, purpose="datasets.comparators", template="datasets/comparators_upload.html",
                       context={},
                       run=lambda f: comparators_upload(actor=request.user, partnership=request.user.partnership,
                                                        upload=f),
                       done_url=reverse("datasets:indicator_list"))


@require_roles(*MANAGERS)
def bulk_template(request, pk: int):
    """The bulk upload's blank template (the same columns as a downloaded return)."""
    quarter = get_object_or_404(Quarter, pk=pk, partnership_id=request.user.partnership_id)
    return template_response(filename=f"bulk-upload-{quarter.label}", sheet=SHEET, columns=COLUMN_TITLES,
                             notes=[f"One row per figure, for any agency, for {quarter.label}.",
                                    "agency: its name or another name it is known by. quarter: "
                                    f"{quarter.label}, or blank. code: the indicator's code. part: the part of a "
                                    "breakdown, or blank for the total.",
                                    "value: counts, days and pounds. numerator and denominator: percentages and "
                                    "rates (the portal works out the figure). narrative: why a figure is red or "
                                    "moved sharply."])


@require_roles(*MANAGERS)
def comparators_template(request):
    """The comparators upload's blank template."""
    return template_response(filename="comparators", sheet=COMPARATORS_SHEET, columns=COMPARATOR_COLUMNS,
                             notes=["One row per figure: code (the indicator's code), year (the financial year, "
                                    "like 2024/25), kind (England, Region or Statistical neighbours), value, "
                                    "and optionally source.",
                                    "A figure already held for the same indicator, year and kind is replaced."])
