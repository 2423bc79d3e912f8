"""Form plumbing shared by every app: GOV.UK rendering and the hidden version field."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.core.exceptions import ValidationError

from .concurrency import version_token
from .errors import DomainError


class GovukFormMixin:
    """Render with the GOV.UK template pack; the page template draws the <form> and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL


class GovukForm(GovukFormMixin, forms.Form):
    pass


class VersionedForm(GovukForm):
    """An edit form that remembers which version of the row it was loaded from."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, updated_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = version_token(updated_at)


def apply_domain_error(form: forms.Form, error) -> None:
    """Show a service's refusal beside the field(s) it names, or at the top of the form.

    ``error`` is a ``DomainError`` (one message, or several by field in ``error.field_errors``) or a
    Django ``ValidationError`` from a model's ``full_clean()``; a field the form does not have
    goes to the top of the form, so no message is lost (issue 12.7).
    """
    if isinstance(error, ValidationError):
        error = DomainError.from_validation_error(error)
    errors = getattr(error, "field_errors", None) or {getattr(error, "field", None): [error.message]}
    for field, messages in errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UploadFileForm(GovukForm):
    """The file field of every upload page (``safeguarding.upload_preview.upload_page``); a page
    with choices of its own subclasses it and adds JSON-serialisable fields."""

    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")
