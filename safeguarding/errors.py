"""Domain errors: raised by services, caught by views, shown to a person as they are."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DomainError(Exception):
    """A rule of the domain refused the change. The message is written for the person.

    ``field`` names the form field the message belongs beside (None: the top of the form).
    ``field_errors`` optionally carries several messages per field (``{field: [message, ...]}``, with
    None for the whole form), as produced from a model's ``ValidationError`` by
    ``DomainError.from_validation_error``; ``message``/``field`` are then its first entry.
    """

    def __init__(self, message: str, *, field: str | None = None,
                 errors: dict[str | None, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self._field_errors = errors

    @property
    def field_errors(self) -> dict[str | None, list[str]]:
        """Every message by field; a plain refusal is its one message beside ``field``."""
        return self._field_errors or {self.field: [self.message]}

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> DomainError:
        """Turn Django's ``ValidationError`` (from ``full_clean()``) into a refusal the form shows,
        every message kept and each beside its field (``__all__`` becomes the top of the form)."""
        if hasattr(exc, "error_dict"):
            errors = {None if name == NON_FIELD_ERRORS else name: list(messages)
                      for name, messages in exc.message_dict.items()}
        else:
            errors = {None: list(exc.messages)}
        field, messages = next(iter(errors.items()))
        return cls(messages[0] if messages else "These details could not be saved.", field=field, errors=errors)


def full_clean_or_refuse(obj, **kwargs) -> None:
    """Run ``obj.full_clean(**kwargs)``; a ``ValidationError`` becomes a ``DomainError`` carrying
    every message by field, so no service lets Django's validation reach a view as a 500 (issue 12.7).
    Length and size limits are worded as the forms word them, numbers formatted ("5,000";
    ``safeguarding.limits``)."""
    from .limits import reword_model_errors

    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise DomainError.from_validation_error(reword_model_errors(exc, obj)) from None


class NotAllowed(DomainError):
    """The person may see the object but not do this to it."""


class StaleEdit(DomainError):
    """Someone else changed the object after this person loaded it."""


class QueueUnavailable(DomainError):
    """The task queue could not be reached; nothing was queued."""
