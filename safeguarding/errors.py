"""Domain errors: raised by services, caught by views, shown to a person as they are."""


class DomainError(Exception):
    """A rule of the domain refused the change. The message is written for the person."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The person may see the object but not do this to it."""


class StaleEdit(DomainError):
    """Someone else changed the object after this person loaded it."""


class QueueUnavailable(DomainError):
    """The task queue could not be reached; nothing was queued."""
