"""Hostile text in every free-text field comes back escaped on every page and neutralised in
every export.

The test fills every stored text field of every portal model with a payload that is both a
script and a spreadsheet formula (as if it had been typed into a form), then opens every GET
route of the access matrix as the people who can see the most, and checks the raw payload never
appears in HTML and no exported cell starts with a formula character.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from openpyxl import load_workbook

from tests.access.test_matrix import BUILDERS, ROUTES

PAYLOAD = "=HYPERLINK(\"http://x\")<script>alert('xss')</script><img src=x onerror=alert(1)>"
SHORT = "<script>x</script>"
RAW_MARKERS = ("<script>alert('xss')", "<script>x</script>", "<img src=x onerror")
PORTAL_APPS = ("partners", "datasets", "reviews", "training", "reports")
# Fields that name things in URLs or are matched exactly: they are validated on the way in.
SKIPPED = {"slug", "email", "password", "code", "key", "number", "checksum", "sha256", "path", "file",
           "content_type", "history_change_reason", "history_type", "year_label", "label_code"}


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        if isinstance(field, models.SlugField | models.EmailField) or field.name in SKIPPED:
            continue
        if field.max_length is not None and field.max_length < len(SHORT) + 12:
            continue
        yield field


def poison_everything() -> int:
    touched = 0
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS or not model._meta.managed or model._meta.proxy:
            continue
        for field in _text_fields(model):
            text = PAYLOAD if field.max_length is None or field.max_length >= len(PAYLOAD) + 12 else SHORT
            # The row id keeps unique columns unique.
            value = Concat(Value(text), Cast("pk", models.CharField()))
            filled = model._base_manager.exclude(**{field.name: ""})
            rows = model._base_manager.all() if field.blank else filled
            try:
                with transaction.atomic():
                    touched += rows.update(**{field.name: value})
            except IntegrityError:
                # A constraint ties this blank field to others (a seat is held by an agency or by
                # a role, never both): poison only the rows that already hold text.
                touched += filled.update(**{field.name: value})
    return touched


@pytest.fixture
def poisoned_world(world):
    for build in BUILDERS:
        build(world)
    assert poison_everything() > 0
    return world


def _cells_of(response) -> list[str]:
    content_type = response.get("Content-Type", "")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if "text/csv" in content_type:
        return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    if "spreadsheetml" in content_type:
        wb = load_workbook(io.BytesIO(data))
        return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    return []


GET_ROUTES = [r for r in ROUTES if r.method == "get"]
READERS = ("manager", "pci", "submitter_b", "designated")


def test_payloads_come_back_escaped_on_every_page_and_export(poisoned_world, client):
    problems, pages, exports = [], 0, 0
    for persona in READERS:
        client.force_login(poisoned_world.persona(persona), backend="django.contrib.auth.backends.ModelBackend")
        for route in GET_ROUTES:
            if route.expect.get(persona) != 200:
                continue
            url = route.url(poisoned_world)
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"{persona} {url}: HTTP {response.status_code}")
                continue
            cells = _cells_of(response)
            if cells:
                exports += 1
                dangerous = [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and not _number(c))]
                if dangerous:
                    problems.append(f"{persona} {url} exports formula cells: {dangerous[:2]}")
            elif "text/html" in response.get("Content-Type", ""):
                pages += 1
                body = response.content.decode()
                problems += [f"{persona} {url} shows unescaped {m!r}" for m in RAW_MARKERS if m in body]
    assert not problems, "\n".join(problems)
    assert pages > 10


def _number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True
