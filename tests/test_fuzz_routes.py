"""Every route and query parameter of the web app against hostile values: no 5xx, and no answer
slower than SLOW_SECONDS. The routes and their parameters are read from the app object, so a new
route or parameter is fuzzed without editing this file. The corpus and app are test_web_api's."""
from __future__ import annotations

import asyncio
import re
import time
from urllib.parse import quote, urlencode

from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_web_api import client, db  # noqa: F401  (fixtures: the small test corpus, the app over it)

SLOW_SECONDS = 5.0
NESTED = "(" * 300 + "的" + ")" * 300
HOSTILE = [
    "", " ", "x" * 100_000, "的" * 100_000, "𠀀😀\u202e\ufdd0\ufeff", "a\r\nb", "%00", "\x00", '"', "'",
    "'; DROP TABLE reports; --", NESTED, "的 " + "OR 的 " * 300, "%", "_", "*", "-1", "0",
    "99999999999999999999999", "NaN", "inf", "-inf", "1e308", "2012-9999", "../../etc/passwd",
    "<script>alert(1)</script>", "²", "١٢", "true", "[]",
]
LISTS = [["a", "b"], ["的"] * 60, ["", "-1", "NaN", NESTED]]
# A valid value for the parameters a route needs to get past its first check, so that the fuzzed
# parameter reaches the code behind it (the fuzzed one replaces it where it is the same).
BASE = {"/search": {"q": "生态"}, "/api/search": {"q": "生态"}, "/api/search/counts": {"q": "生态"},
        "/attention": {"terms": "生态"}, "/api/attention": {"terms": "生态"},
        "/api/panel": {"indicator": "gdp", "format": "csv"}, "/api/targets": {"format": "csv"},
        "/year": {"indicator": "gdp", "measure": "growth_pct"}, "/targets": {"indicator": "gdp"}}
PATH_VALUE = "hailar_2015"  # a path parameter (report_id) while a query parameter is fuzzed


def get_routes(app) -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET route of the app: pages, API, openapi.json.
    Newer FastAPI keeps an included router as one entry: its routes are read through it."""
    routes = []
    for entry in app.routes:
        contexts = getattr(entry, "effective_route_contexts", None)
        routes += [context.original_route for context in contexts()] if contexts else [entry]
    return [(route.path, [p.alias for p in route.dependant.query_params] if isinstance(route, APIRoute) else [])
            for route in routes if "GET" in (getattr(route, "methods", None) or ())]


def path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def url_of(path: str, fuzzed: str | None = None, value: str = PATH_VALUE) -> str:
    """The path (as the server decodes it) with its parameters filled: `fuzzed` with `value`,
    the others with PATH_VALUE."""
    return re.sub(r"{(\w+)}", lambda m: value if m.group(1) == fuzzed else PATH_VALUE, path)


def status_of(app, path: str, params: list[tuple[str, str]]) -> int:
    """The status of GET path?params, sent to the ASGI app itself: httpx (so TestClient) refuses
    URLs over 64 KiB, and the values here reach 100,000 characters."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": quote(path).encode("ascii"), "root_path": "",
             "query_string": urlencode(params).encode("ascii"), "headers": [(b"host", b"testserver")],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    statuses = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])
    try:
        asyncio.run(app(scope, receive, send))
    except Exception:           # Starlette re-raises after sending its 500 page: the status says it
        pass
    return statuses[0] if statuses else 599


def problem(client, path: str, params: list[tuple[str, str]]) -> str | None:
    """What is wrong with the answer to GET path?params (None: under 500, and in time)."""
    started = time.monotonic()
    status = status_of(client.app, path, params)
    took = time.monotonic() - started
    if status >= 500 or took > SLOW_SECONDS:
        shown = [(k, v if len(v) < 40 else v[:20] + f"…({len(v)} chars)") for k, v in params]
        return f"GET {path[:60]!r} {shown}: {status} in {took:.1f} s"
    return None


def with_value(path: str, name: str, values: list[str]) -> list[tuple[str, str]]:
    """The route's base parameters, with `name` given `values` (one value, or several: a list)."""
    base = [(k, v) for k, v in BASE.get(path, {}).items() if k != name]
    return base + [(name, v) for v in values]


def test_the_routes_are_all_found(client):
    routes = dict(get_routes(client.app))
    assert {"/", "/reports/{report_id}", "/search", "/compare", "/year", "/targets", "/attention", "/docs",
            "/openapi.json", "/api/reports", "/api/reports/{report_id}", "/api/search", "/api/search/counts",
            "/api/panel", "/api/targets", "/api/attention"} <= set(routes)
    assert set(routes["/api/search"]) == {"q", "region", "year", "level", "limit", "offset", "order", "format"}
    assert set(routes["/search"]) == {"q", "region", "year", "level", "limit", "order", "page"}
    assert set(routes["/year"]) == {"indicator", "measure", "status", "year", "level"}
    assert set(routes["/targets"]) == {"indicator", "measure", "region", "level", "year", "outcome"}
    assert {"year", "level", "format"} <= set(routes["/api/panel"]) and "by" in routes["/api/attention"]
    assert all("format" in routes[path] for path in ("/api/reports", "/api/search", "/api/panel", "/api/targets",
                                                     "/api/attention"))
    assert sum(len(params) for params in routes.values()) >= 74


def test_head_answers_every_get_route_as_its_get(client):
    for path, _ in get_routes(client.app):
        params = BASE.get(path, {})
        got, head = client.get(url_of(path), params=params), client.head(url_of(path), params=params)
        assert (head.status_code, head.content, head.headers["content-type"]) == \
               (got.status_code, b"", got.headers["content-type"]) == (200, b"", got.headers["content-type"]), path


def test_hostile_values_in_every_parameter(client):
    problems = []
    for path, params in get_routes(client.app):
        for name in path_params(path):
            problems += [problem(client, url_of(path, name, value), with_value(path, "", []))
                         for value in HOSTILE]
        for name in params + ["undeclared"]:
            problems += [problem(client, url_of(path), with_value(path, name, [value])) for value in HOSTILE]
            problems += [problem(client, url_of(path), with_value(path, name, values)) for values in LISTS]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def targets(app) -> list[tuple[str, str]]:
    """(path, parameter) pairs to fuzz: every query parameter, and every path parameter."""
    pairs = []
    for path, params in get_routes(app):
        pairs += [(path, name) for name in params + path_params(path)]
    return pairs


VALUES = st.one_of(st.text(max_size=60), st.integers().map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(str),
                   st.lists(st.text(max_size=12), min_size=2, max_size=4))


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_values_in_every_parameter(client, data):
    path, name = data.draw(st.sampled_from(targets(client.app)), label="parameter")
    value = data.draw(VALUES, label="value")
    values = value if isinstance(value, list) else [value]
    if name in path_params(path):
        found = problem(client, url_of(path, name, values[0]), with_value(path, "", []))
    else:
        found = problem(client, url_of(path), with_value(path, name, values))
    assert found is None, found
