"""Role x URL x expected status, for every URL pattern of the portal.

Fails when a URL pattern has no entry, so a new page cannot ship without its access rules.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .registry import PERSONAS, Route

APPS = ("safeguarding", "partners", "datasets", "reviews", "training", "reports", "dashboards")
IGNORED_NAMESPACES = {"admin"}


def _route_modules():
    for app in APPS:
        name = f"tests.{app}.routes"
        if find_spec(name) is not None:
            yield import_module(name)


ROUTES: list[Route] = [route for module in _route_modules() for route in module.ROUTES]
BUILDERS = [module.build for module in _route_modules() if hasattr(module, "build")]


def _url_names(patterns, prefix: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in IGNORED_NAMESPACES:
                continue
            names += _url_names(pattern.url_patterns, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(pattern, URLPattern):
            names.append(f"{prefix}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")
    return names


def test_every_url_pattern_has_an_entry():
    declared = {route.name for route in ROUTES}
    missing = sorted(set(_url_names(get_resolver().url_patterns)) - declared)
    assert not missing, f"URL patterns with no access-matrix entry: {missing}"


def test_entries_name_real_urls_and_every_persona():
    names = set(_url_names(get_resolver().url_patterns))
    for route in ROUTES:
        assert route.name in names, f"{route.name} is in the matrix but not in the URLconf"
        assert set(route.expect) == set(PERSONAS), f"{route.name} does not say what each persona gets"


@pytest.fixture
def full_world(world):
    for build in BUILDERS:
        build(world)
    return world


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.label)
def test_access(route: Route, full_world, client):
    url = route.url(full_world)
    mismatches = []
    for persona in PERSONAS:
        client.logout()
        person = full_world.persona(persona)
        if person is not None:
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        if route.method == "post":
            response = client.post(url, route.data(full_world) if route.data else {})
        else:
            response = client.get(url)
        expected = route.expect[persona]
        if response.status_code != expected:
            mismatches.append(f"{persona}: expected {expected}, got {response.status_code}")
        if persona == "anonymous" and expected == 302:
            assert "/account/sign-in/" in response["Location"], f"{route.name} anonymous went elsewhere"
    assert not mismatches, f"{route.method.upper()} {url}: " + "; ".join(mismatches)
