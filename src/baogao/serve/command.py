"""`baogao serve`: the corpus as a web app (read-only), loaded by cli.py."""
from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("serve", help="browse, search and chart a corpus in the web browser (read-only)",
                       description="Serve a corpus (made by `baogao ingest`) as a web app with a JSON API "
                                   "(/api/..., described at /docs). The database is opened read-only. "
                                   "Binds 127.0.0.1 unless --host says otherwise.")
    p.add_argument("--db", default="baogao.db", metavar="FILE", help="the corpus database (default: baogao.db)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.set_defaults(run=cmd_serve)


def cmd_serve(args) -> int:
    db = Path(args.db)
    if not db.is_file():
        print(f"baogao serve: no corpus at {db} (make one with `baogao ingest PATH... --db {db}`)", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"baogao serve: --port must be 1-65535, not {args.port}", file=sys.stderr)
        return 2
    from ..store import StoreError
    from .app import create_app
    try:
        app = create_app(db)
    except StoreError as e:
        print(f"baogao serve: {db}: {e}", file=sys.stderr)
        return 2
    except Exception as e:          # not SQLite, or a file we may not read
        print(f"baogao serve: {db}: cannot open as a corpus: {e}", file=sys.stderr)
        return 2
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"baogao serve: cannot listen on {args.host}:{args.port}: {problem}", file=sys.stderr)
        return 2
    import uvicorn
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"baogao: serving {db} ({len(app.state.corpus)} reports, read-only) at http://{host}:{args.port}/"
          f"  (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def port_problem(host: str, port: int) -> str | None:
    """Why we could not listen on host:port (in use, no such address), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        return f"unknown host ({e.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            return "the port is in use" if e.errno == errno.EADDRINUSE else (e.strerror or str(e))
    return None
