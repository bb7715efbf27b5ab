"""Shared fixtures. ../shared sits beside the repository (on CI too); tests find it from here."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SCORES: dict[str, dict] = {}          # figures measured by scorer tests, printed at the end


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"../shared not found beside the repository at {SHARED}"
    return SHARED


def pytest_terminal_summary(terminalreporter):
    for name, res in SCORES.items():
        terminalreporter.section(f"scorer: {name}")
        for k, v in res.get("meta_accuracy", {}).items():
            terminalreporter.write_line(f"meta {k:<18} accuracy {v:.3f}")
        for k in ("boilerplate", "sections", "quantities", "observations"):
            m = res.get(k)
            if m:
                terminalreporter.write_line(f"{k:<13} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
                                            f"(tp {m['tp']}, pred {m['pred']}, gold {m['gold']})")
        terminalreporter.write_line(f"quantity value accuracy: {res.get('quantity_value_accuracy')}")
