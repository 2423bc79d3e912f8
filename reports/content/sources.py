"""The other apps' data, read through their selectors. Each function returns None when the app
does not (yet) offer what the report needs, so a chapter says "no data yet" instead of failing.

This is the only module of ``reports`` that knows the other apps' selector names.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

log = logging.getLogger(__name__)


def _selector(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def call(module: str, name: str, **kwargs: Any) -> Any:
    func = _selector(module, name)
    if func is None:
        return None
    return func(**kwargs)
