"""Form plumbing shared by every app: GOV.UK rendering and the hidden version field."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .concurrency import version_token
from .errors import DomainError
from .formatting import plain_number
from .inputs import DIGITS_MESSAGE, has_other_digits
from .limits import LIMIT_VALIDATORS, LIMIT_WORDING, formatted_validator
from .parsing import NotANumber, parse_figure
from .workflow import COMMENT_MAX_LENGTH

# Fields whose text Python turns into numbers, dates or ids: ``int("١٢٣")`` is 123.
NUMERIC_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateField, forms.DateTimeField,
                  forms.TimeField, forms.DurationField, forms.ModelChoiceField, forms.TypedChoiceField,
                  forms.TypedMultipleChoiceField)


# Words that already make a label read as a phrase ("Your answer", "Which way is better").
_NO_ARTICLE = {"the", "your", "a", "an", "which", "what", "why", "who", "where", "how", "when", "this", "its"}
_OPTIONAL_TAIL = re.compile(r"\s*\([^)]*\)\s*$")


def field_phrase(field: forms.Field, name: str) -> str:
    """The field's label as it reads inside a sentence: "Full name" → "the full name",
    "Your answer" → "your answer", "Figure 2: value" → "Figure 2: value" (a label with a colon or
    starting with an acronym or a name keeps its capitals). Falls back to the field's name."""
    label = str(field.label or pretty_name(name)).strip().rstrip("?.:")
    label = _OPTIONAL_TAIL.sub("", label) or label
    if ":" in label or len(label) > 1 and label[1].isupper():
        return label
    first = label.split(" ", 1)[0].lower()
    label = label[:1].lower() + label[1:]
    return label if first in _NO_ARTICLE else f"the {label}"


def _is_default(field: forms.Field, key: str) -> bool:
    """Whether the field still carries Django's own message for ``key`` (a form's own wording wins)."""
    message = field.error_messages.get(key)
    defaults = [klass.default_error_messages.get(key) for klass in type(field).__mro__
                if "default_error_messages" in vars(klass)]
    return message is not None and any(str(message) == str(d) for d in defaults if d is not None)


def govuk_messages(field: forms.Field, name: str) -> None:
    """Replace Django's messages that do not name the field ("This field is required.",
    "Select a valid choice…", "Enter a whole number.", "Ensure this value…") by GOV.UK ones that
    do, from the label: "Enter the full name", "Select the role", "Choose a file" (GOV.UK Design
    System, error message pattern). A message a form set itself is kept. Mutates ``field``, which
    is the form's own deep copy; shared validator instances are copied before rewording."""
    phrase = field_phrase(field, name)
    Phrase = phrase[:1].upper() + phrase[1:]
    choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    if isinstance(field, forms.FileField):
        required = "Choose a file" if field.label is None or "spreadsheet" in str(field.label).lower() \
            else f"Choose a file for {phrase}"
    elif choice and isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        required = f"Select at least one option for {phrase}"
    elif choice:
        required = f"Select {phrase}"
    elif isinstance(field, forms.BooleanField):
        required = f"Tick the box to confirm {phrase}"
    else:
        required = f"Enter {phrase}"
    wording = {
        "required": required,
        "invalid_choice": f"Select one of the options given for {phrase}",
        "invalid_list": f"Select one of the options given for {phrase}",
        "invalid_pk_value": f"Select one of the options given for {phrase}",
    }
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
        wording["invalid"] = f"{Phrase} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        wording["invalid"] = f"{Phrase} must be a number"
        wording["max_digits"] = f"{Phrase} must have no more than %(max)s digits"
        wording["max_decimal_places"] = f"{Phrase} must have no more than %(max)s decimal places"
        wording["max_whole_digits"] = f"{Phrase} must have no more than %(max)s digits before the point"
    elif isinstance(field, forms.DateField | forms.DateTimeField):
        wording["invalid"] = f"{Phrase} must be a real date"
    elif isinstance(field, forms.EmailField):
        wording["invalid"] = f"Enter {phrase} in the correct format, like name@example.com"
    for key, message in wording.items():
        if _is_default(field, key):
            field.error_messages[key] = message
    email_message = f"Enter {phrase} in the correct format, like name@example.com"
    for i, validator in enumerate(field.validators):
        kind = type(validator)
        if kind is django_validators.EmailValidator and str(validator.message) == str(kind.message):
            validator = copy.copy(validator)
            validator.message = email_message
            field.validators[i] = validator
        elif kind in LIMIT_VALIDATORS and str(validator.message) == str(kind.message):
            # Numbers through the one formatter ("5,000", not "5000"): safeguarding.limits.
            field.validators[i] = formatted_validator(
                validator, LIMIT_WORDING[LIMIT_VALIDATORS[kind]].replace("{Phrase}", Phrase))


class GovukFormMixin:
    """Render with the GOV.UK template pack; the page template draws the <form> and buttons.

    Every form of the portal has it, so it also holds the one rule on digits
    (``safeguarding.inputs``): a number, date or id typed with digits other than 0 to 9 is a
    field error saying so, never silently read (issue 11, point 4). And the one wording of
    errors: Django's messages that do not name the field are replaced, at validation time (so
    labels a form sets after ``__init__`` count), by GOV.UK ones built from the label
    (``govuk_messages``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL

    def full_clean(self):
        for name, field in self.fields.items():
            govuk_messages(field, name)
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


class Select(forms.Select):
    """A drop-down for long pick-lists (a partnership's 160 quarters, its 200 agencies), drawn in
    Python exactly as Django's ``select.html`` and ``select_option.html`` templates draw it: those
    render an ``include`` per option, which on a dashboard's filter costs more than its queries.
    Choices in groups (``<optgroup>``) go to the templates. tests/safeguarding/test_long_select.py
    compares the two drawings. Named ``Select`` on purpose: crispy-forms-gds chooses the GOV.UK
    classes (``govuk-select`` and the error class) by the widget's class name."""

    @staticmethod
    def _attrs(attrs: dict) -> str:
        # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
        return "".join(f" {conditional_escape(name)}" if value is True else
                       f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
                       for name, value in attrs.items() if value is not False)

    def render(self, name, value, attrs=None, renderer=None):
        """The ``<select>`` as HTML (a ``SafeString``), the same as ``forms.Select.render``."""
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"{self._attrs(option["attrs"])}>'
            f'{conditional_escape(option["label"])}</option>\n'
            for _group, group_options, _index in widget["optgroups"] for option in group_options)
        return mark_safe(  # noqa: S308 - every name, value and label is escaped above
            f'<select name="{conditional_escape(widget["name"])}"{self._attrs(widget["attrs"])}>{options}\n</select>')


class FigureField(forms.DecimalField):
    """A figure typed as people type it, read by the one parser (``safeguarding.parsing``):
    "1,234" is 1234, "12.5%" is 12.5 where ``percent`` (a percentage, 0 to 100), "£25,000" is
    25000 where ``pounds``; anything ambiguous ("1,23", "about 40") is refused naming the field.

    A text input with ``inputmode="decimal"`` (the GOV.UK pattern for numbers), never
    ``type="number"``, which will not take the "%", "£" or "," a person types and silently
    sends nothing. The value is a ``Decimal`` (``None`` when blank) and DecimalField's own
    ``min_value``, ``max_value``, ``max_digits`` and ``decimal_places`` still apply."""

    widget = forms.TextInput

    def __init__(self, *, percent: bool = False, pounds: bool = False, **kwargs):
        self.percent, self.pounds = percent, pounds
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "spellcheck": "false"})
        attrs.setdefault("class", "govuk-input--width-10")
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        phrase = field_phrase(self, "figure")
        try:
            return parse_figure(value, percent_ok=self.percent, pounds_ok=self.pounds,
                                label=phrase[:1].upper() + phrase[1:])
        except NotANumber as exc:
            raise ValidationError(exc.message, code="invalid") from None

    def prepare_value(self, value):
        """A stored figure shown back as the person would type it ("25000", not "25000.00")."""
        if value in self.empty_values or not isinstance(value, int | float | Decimal):
            return value
        return plain_number(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UploadFileForm(GovukForm):
    """The file field of every upload page (``safeguarding.upload_preview.upload_page``); a page
    with choices of its own subclasses it and adds JSON-serialisable fields."""

    file = forms.FileField(label="Spreadsheet (XLSX or CSV)")
