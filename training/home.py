"""Training's home-page panels."""

from . import selectors


def my_returns_panel(user) -> dict | None:
    returns = selectors.my_returns_due(user=user)
    return {"returns": returns} if returns else None


def awaiting_review_panel(user) -> dict | None:
    returns = selectors.returns_awaiting_review(user=user)
    return {"returns": returns} if returns else None
