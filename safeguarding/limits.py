"""The one wording of length and size limits, with every number through the formatter.

Django's validators print their numbers bare ("at most 5000 characters (it has 6000)"), both in
forms and in a model's ``full_clean()``. The portal prints numbers one way
(``formatting.limit_text``: "5,000"), and names the field (GOV.UK error message pattern). Two
entry points, one wording:

- ``formatted_validator(validator, message)``: a copy of a Min/Max value or length validator whose
  message gets its numbers formatted (the form layer, ``safeguarding.forms.govuk_messages``);
- ``reword_model_errors(exc, model)``: a model ``ValidationError`` with the limit messages reworded
  the same way, naming the field by its verbose name (``safeguarding.errors.full_clean_or_refuse``,
  which every service uses, so uploads that reach a service say it the same way).
"""

from __future__ import annotations

import copy

from django.core import validators as django_validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .formatting import limit_text

# Django's error code of each limit → its wording, with "{Phrase}" the field ("The name").
LIMIT_WORDING = {
    "max_length": "{Phrase} must be %(limit_value)s characters or fewer (it has %(show_value)s)",
    "min_length": "{Phrase} must be %(limit_value)s characters or more (it has %(show_value)s)",
    "max_value": "{Phrase} must be %(limit_value)s or less",
    "min_value": "{Phrase} must be %(limit_value)s or more",
}
LIMIT_VALIDATORS = {
    django_validators.MaxLengthValidator: "max_length",
    django_validators.MinLengthValidator: "min_length",
    django_validators.MaxValueValidator: "max_value",
    django_validators.MinValueValidator: "min_value",
}


def formatted_params(params: dict | None) -> dict:
    """``params`` of a limit error with every number as the formatter writes it ("5,000")."""
    return {key: limit_text(value) for key, value in (params or {}).items()}


class _FormattedLimit:
    """Mixed into a copy of a Django limit validator: it raises the same error, with its numbers
    formatted (``limit_value``, ``show_value``, ``value``)."""

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            raise ValidationError(self.message, code=self.code, params=formatted_params(error.params)) from None


_FORMATTED_CLASSES: dict[type, type] = {}


def formatted_validator(validator, message: str):
    """A copy of ``validator`` (one of ``LIMIT_VALIDATORS``) that says ``message`` (with
    ``%(limit_value)s`` and, for lengths, ``%(show_value)s``) with its numbers formatted. It stays
    an instance of the validator's class, so checks by type still see what it is."""
    base = type(validator)
    klass = _FORMATTED_CLASSES.get(base)
    if klass is None:
        klass = _FORMATTED_CLASSES[base] = type(f"Formatted{base.__name__}", (_FormattedLimit, base), {})
    new = copy.copy(validator)
    new.__class__ = klass
    new.message = message
    return new


def limit_message(code: str, phrase: str, params: dict | None) -> str:
    """The message for a limit error ``code`` (a key of ``LIMIT_WORDING``) on the field called
    ``phrase`` ("the name"), numbers formatted."""
    wording = LIMIT_WORDING[code].replace("{Phrase}", phrase[:1].upper() + phrase[1:])
    return wording % formatted_params(params)


def reword_model_errors(exc: ValidationError, model) -> ValidationError:
    """``exc`` from ``model.full_clean()`` with Django's limit messages ("Ensure this value has at
    most 200 characters (it has 250).") replaced by the portal's, naming the field by its
    verbose name and formatting the numbers. Other messages are kept as they are."""
    if not hasattr(exc, "error_dict"):
        return exc
    out: dict[str, list] = {}
    for name, errors in exc.error_dict.items():
        kept = []
        for error in errors:
            if error.code in LIMIT_WORDING and name != NON_FIELD_ERRORS:
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except Exception:  # a name that is not a field: keep Django's own message
                    kept.append(error)
                    continue
                kept.append(ValidationError(limit_message(error.code, f"the {label}", error.params), code=error.code))
            else:
                kept.append(error)
        out[name] = kept
    return ValidationError(out)
