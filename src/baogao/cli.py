"""The `baogao` command. Each subcommand is a thin layer over the Python API."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

EPILOG = """examples:
  baogao parse report.txt                      a readable summary of one report
  baogao parse reports/*.txt --out out/        one JSON record per file (out/NAME.json)
  baogao region 鼓楼区 --context 南京           which 鼓楼区? candidates with codes and validity

The record format is described in docs/RECORD.md; every figure carries character offsets
into the text as read, so it can be traced back to its sentence."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    if os.environ.get("BAOGAO_INDICATORS") and not _indicators_usable():
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("baogao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _indicators_usable() -> bool:
    """A user's indicator file is checked once, before any work: a bad one would otherwise fail
    every file of a batch with the same reason."""
    from .extract.lexicon import LexiconError, load_lexicon
    try:
        load_lexicon()
    except LexiconError as e:
        print(f"baogao: {e}", file=sys.stderr)
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baogao", description="Turn Chinese government work reports (政府工作报告) into grounded data.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"baogao {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse report files into records (JSON) or print a summary",
                       description="Parse report files (.txt in any encoding, .html, .docx, .pdf). "
                                   "With --out, write DIR/NAME.json per file; otherwise print a summary. "
                                   "A file that cannot be read is reported on stderr with the reason; "
                                   "the others are still parsed, and the exit status is 1.")
    p.add_argument("files", nargs="+", metavar="FILE", help="report files")
    p.add_argument("--out", metavar="DIR", help="write one JSON record per file into DIR")
    p.add_argument("--compact", action="store_true", help="JSON without indentation")
    p.set_defaults(run=cmd_parse)

    for name in ("regions", "extract.facts", "extract.vocabulary", "store.commands", "serve.command"):
        _optional_commands(sub, name)
    return parser


def _optional_commands(sub, module: str) -> None:
    """Subcommands that live with their stage (region, facts, ingest, search, serve, ...)."""
    import importlib
    try:
        mod = importlib.import_module(f"baogao.{module}.command" if module == "regions" else f"baogao.{module}")
    except ImportError:
        return
    mod.add_parser(sub)


def cmd_parse(args) -> int:
    from .pipeline import parse
    from .read import ReadError, printable

    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    names = output_names(args.files)
    for f in _progress(args.files, "parse"):
        try:
            report = parse(f)
        except ReadError as e:
            print(f"baogao: {printable(f)}: {e}", file=sys.stderr)
            failed += 1
            continue
        if out_dir:
            _write_atomic(out_dir / names[f], report.to_json(indent=None if args.compact else 1))
        else:
            print(summary(report))
    return 1 if failed else 0


def output_names(files: list[str]) -> dict[str, str]:
    """The record's file name for each input: NAME.json, unless two inputs share a name (a/r.txt
    and b/r.html), then NAME.SUFFIX.json, then with as many parent folders as it takes
    (a__r.txt.json): one record never overwrites another."""
    def name(f: str, parents: int, suffix: bool) -> str:
        p = Path(f)
        base = p.name if suffix else p.stem
        folders = list(Path(os.path.abspath(p)).parent.parts[1:])[-parents:] if parents else []
        return "__".join([*folders, base]) + ".json"

    out: dict[str, str] = {}
    for parents, suffix in [(0, False), (0, True)] + [(k, True) for k in range(1, 64)]:
        pending = [f for f in files if f not in out]
        if not pending:
            break
        candidates = {f: name(f, parents, suffix) for f in pending}
        counts: dict[str, int] = {}
        for n in list(candidates.values()) + list(out.values()):
            counts[n] = counts.get(n, 0) + 1
        out.update({f: n for f, n in candidates.items() if counts[n] == 1})
    for f in files:                              # the same path given twice: one record
        out.setdefault(f, name(f, 64, True))
    return out


def _progress(items, label: str):
    if len(items) > 5 and sys.stderr.isatty():
        from tqdm import tqdm
        return tqdm(items, desc=label, unit="file")
    return items


def _write_atomic(path: Path, content: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a record."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)


def summary(report) -> str:
    m = report.meta
    region = m.region or {}
    where = " ".join(x for x in (region.get("province"), region.get("city"), region.get("county")) if x)
    lines = [
        f"{report.doc}  [{report.source.get('format')}, {report.source.get('encoding')}]",
        f"  title    {m.title or '?'}",
        f"  region   {where or '?'}  code {region.get('code') or 'unresolved'}  ({region.get('level') or '?'})",
        f"  date     {m.date or '?'}   congress term {m.congress.get('term')}, session {m.congress.get('session')}",
        f"  speaker  {m.speaker.get('title') or '?'} {m.speaker.get('name') or '?'}   reviews {m.review_year or '?'}",
        f"  text     {len(report.text)} chars, {len(report.boilerplate)} boilerplate spans, "
        f"{len(report.sections)} sections, {len(report.sentences)} sentences",
        f"  figures  {len(report.quantities)} quantities, {len(report.observations)} observations"
        + (f", {len(report.audit)} audit notes" if report.audit else ""),
    ]
    for s in report.sections[:12]:
        lines.append(f"    {'  ' * (s.level - 1)}{s.title}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
