"""Stage 6, serve: the corpus as a read-only web app with a JSON API.

    baogao serve --db baogao.db            http://127.0.0.1:8000

Pages are rendered on the server (Jinja2, app.py); the JSON API is api.py; charts are inline
SVG drawn in Python (chart.py); the JavaScript is static/report.js (the side panel and #pos-
targets on a report page), static/compare.js (forms that pick an indicator) and
static/sort.js (sortable tables); none is inline, so the Content-Security-Policy allows only
the app's own scripts and styles.
Nothing is fetched from elsewhere: every asset is in static/.
"""
__all__ = ["create_app"]


def __getattr__(name: str):
    # the app (FastAPI, pandas) loads on first use: `baogao --help` imports serve.command only
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
