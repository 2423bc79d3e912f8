"""Odd input on every URL pattern and every form of the access matrix never answers 500
(issue 11, point 4).

Three walks over the matrix's routes, each as a persona who may use the page:
- every URL parameter replaced by a NUL, other control characters, an overlong value, a
  non-integer id and other scripts' digits;
- the same values in the query string, under the names the portal's pages read;
- every form found on every page: each field in turn set to one of those values (hypothesis picks
  which, derandomised so a failure repeats), the other fields left as the page drew them.

A control character must answer 400 (``safeguarding.middleware``); nothing may answer 500.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .registry import OK, Route
from .test_matrix import ROUTES

# Who tries each page: the first of these the matrix lets in.
TRIERS = ("manager", "pci", "submitter_b", "designated", "submitter_a", "outsider", "anonymous")
CONTROL = ["\x00", "a\x00b", "\x1b[2J", "\x7f", "\x85"]
ODD = ["abc", "١٢٣", "１２３", "12٣", "9" * 40, "-1", "1.5", "x" * 3000, " ", "0x10", "1e9", "NaN", "null",
       "../../etc/passwd", "%", "'\"<>"]
# Query parameters the portal's views read (grep request.GET), tried on every GET page.
QUERY_NAMES = ["agency", "quarter", "indicator", "status", "page", "year", "format", "issue", "return", "next",
               "span", "end", "domain", "health", "show", "table", "q", "action", "event", "actor", "kind"]
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# Pages whose forms start long work (PDF builds) when a stray field is accepted: their fields are
# fuzzed through the path and query walks and their own tests, not by posting.
NOT_POSTED = {"reports:report_build", "reports:build_retry", "logout"}

SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


def _tryer(route: Route) -> str | None:
    wanted = (OK,) if route.method == "get" else (OK, 302, 400)
    return next((p for p in TRIERS if route.expect.get(p) in wanted), None)


def _sign_in(client, world, persona):
    client.logout()
    person = world.persona(persona)
    if person is not None:
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")


def _request(client, method: str, url: str, data=None):
    return client.post(url, data or {}) if method == "post" else client.get(url)


def _check(response, what: str, value: str) -> None:
    assert response.status_code != 500, f"{what} with {value!r} answered 500"
    if any(c in value for c in "\x00\x1b\x7f\x85"):
        assert response.status_code == 400, f"{what} with {value!r} answered {response.status_code}, not 400"


def _path_with(route_pattern: str, real: dict, name: str, value: str) -> str:
    def sub(match):
        key = match.group("name")
        return quote(value if key == name else str(real[key]), safe="")
    return "/" + CONVERTER.sub(sub, route_pattern)


def _values_for(converter: str | None, turn: int) -> list[str]:
    """The odd values tried in one URL parameter: an int converter only lets ASCII digits through
    to a view, so an overlong number is what reaches it; a str or slug takes anything."""
    if converter == "int":
        return ["9" * 40, ODD[turn % len(ODD)]]
    return [CONTROL[turn % len(CONTROL)], "١٢٣", ODD[turn % len(ODD)], "x" * 300]


def test_every_url_parameter_survives_odd_values(fuzz_world, client):
    tried, seen = 0, set()
    for turn, route in enumerate(ROUTES):
        if not route.kwargs or not (persona := _tryer(route)):
            continue
        real = route.kwargs(fuzz_world)
        url = reverse(route.name, kwargs=real)
        pattern = resolve(url).route
        if (route.method, pattern) in seen:
            continue
        seen.add((route.method, pattern))
        _sign_in(client, fuzz_world, persona)
        converters = {m.group("name"): m.group("conv") for m in CONVERTER.finditer(pattern)}
        for name in real:
            for value in _values_for(converters.get(name), turn):
                odd_url = _path_with(pattern, real, name, value)
                _check(_request(client, route.method, odd_url, route.data(fuzz_world) if route.data else None),
                       f"{route.method.upper()} {route.name} ({name} in the path)", value)
                tried += 1
    assert tried > 150


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name -> the value the page drew)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._current = {"action": a.get("action") or "", "fields": {}, "files": set(), "hidden": set(),
                             "choices": set()}
            self.forms.append(self._current)
        if self._current is None or "name" not in a and tag != "option":
            return
        fields = self._current["fields"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                self._current["hidden"].add(a["name"])
            if kind in ("checkbox", "radio"):
                self._current["choices"].add(a["name"])
            if kind == "file":
                self._current["files"].add(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in fields:
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "image"):
                fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self._current["choices"].add(a["name"])
            fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and ("selected" in a or not self._current["fields"][self._select]):
            self._current["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _forms_on(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["fields"] or f["files"]]


def _fuzz_form(client, world, persona: str, form: dict, action: str, names: list[str], *, what: str) -> None:
    """Post the form with one field at a time set to an odd value (hypothesis picks the pairs)."""

    @settings(max_examples=min(len(names), 4), deadline=None, derandomize=True,
              suppress_health_check=SLOW_OK, database=None)
    @given(name=st.sampled_from(names), value=st.sampled_from(CONTROL[:1] + ODD))
    def post(name, value):
        _sign_in(client, world, persona)  # a form may sign out or switch the session
        _check(client.post(action, {**form["fields"], name: value}), f"POST {action} from {what} ({name})", value)

    post()


def test_every_page_survives_odd_query_values_and_odd_form_fields(fuzz_world, client):
    """Every GET page with odd query values; then every POST form that page draws, fuzzed."""
    queried, posted = 0, set()
    seen: set[str] = set()
    for turn, route in enumerate(ROUTES):
        if route.method != "get" or not (persona := _tryer(route)):
            continue
        url = reverse(route.name, kwargs=route.kwargs(fuzz_world) if route.kwargs else None)
        if url in seen:
            continue
        seen.add(url)
        _sign_in(client, fuzz_world, persona)
        # A control character in one name (400); then each name a different odd value, turning
        # with the route, so every name meets every kind (other scripts' digits included) over
        # the walk.
        control = {QUERY_NAMES[turn % len(QUERY_NAMES)]: CONTROL[turn % len(CONTROL)]}
        mixed = {name: ODD[(i + turn) % len(ODD)] for i, name in enumerate(QUERY_NAMES)}
        page = None
        for query in (control, mixed):
            encoded = "&".join(f"{name}={quote(value, safe='')}" for name, value in query.items())
            response = client.get(f"{url}?{encoded}")
            _check(response, f"GET {route.name} (query)", "".join(query.values()))
            queried += 1
            if response.status_code == OK:
                page = response
        if persona == "anonymous" and route.name != "login":
            continue
        page = page if page is not None else client.get(url)
        if page.status_code != OK or not page["Content-Type"].startswith("text/html"):
            continue
        for form in _forms_on(page.content.decode()):
            action = form["action"] or url
            target = urlsplit(action).path
            if (persona, target) in posted or resolve(target).view_name in NOT_POSTED:
                continue
            posted.add((persona, target))
            names = sorted(set(form["fields"]) - {"csrfmiddlewaretoken"})
            if names:
                _fuzz_form(client, fuzz_world, persona, form, action, names, what=route.name)
    assert queried > 100
    assert len(posted) > 40
