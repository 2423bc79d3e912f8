"""Form plumbing shared by every app: GOV.UK rendering and the hidden version field."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.core.exceptions import ValidationError

from .concurrency import version_token
from .errors import DomainError
from .inputs import DIGITS_MESSAGE, has_other_digits
from .workflow import COMMENT_MAX_LENGTH

# Fields whose text Python turns into numbers, dates or ids: ``int("١٢٣")`` is 123.
NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateField, forms.DateTimeField,
                  forms.TimeField, forms.DurationField, forms.ModelChoiceField, forms.TypedChoiceField,
                  forms.TypedMultipleChoiceField)


class GovukFormMixin:
    """Render with the GOV.UK template pack; the page template draws the <form> and buttons.

    Every form of the portal has it, so it also holds the one rule on digits
    (``safeguarding.inputs``): a number, date or id typed with digits other than 0 to 9 is a
    field error saying so, never silently read (issue 11, point 4).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            if field.disabled or not isinstance(field, NUMERIC_FIELDS) or name in self._errors:
                continue
            raw = self[name].data
            values = raw if isinstance(raw, list | tuple) else [raw]
            if any(isinstance(value, str) and has_other_digits(value) for value in values):
                self.add_error(name, f"{DIGITS_MESSAGE}.")


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


class ReturnCommentForm(GovukForm):
    """A comment on a workflow step of any return (submit, query, answer, accept, reopen), with
    the one length limit the event keeps (``workflow.COMMENT_MAX_LENGTH``, 5,000 characters).
    Dataset and training returns both use it (issue 11, point 5)."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=COMMENT_MAX_LENGTH)

    def __init__(self, *args, label: str = "Comment", required: bool = True, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = label
        self.fields["comment"].required = required
        self.fields["comment"].help_text = help_text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UploadFileForm(GovukForm):
    """The file field of every upload page (``safeguarding.upload_preview.upload_page``); a page
    with choices of its own subclasses it and adds JSON-serialisable fields."""

    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")
