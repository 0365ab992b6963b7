"""The CSS every portal page loads, shipped subset against the whole NL Design System packages,
side by side: bytes uncompressed, gzip and brotli (as WhiteNoise serves them), and the ratios.

    uv run python bench/css_sizes.py

The whole packages are read from frontend/node_modules (``cd frontend && npm ci`` or
``./vendor.sh``); without them only the shipped figures are printed. Figures: bench/RESULTS.md.
"""

import gzip
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
MODULES = ROOT / "frontend" / "node_modules"

# (label, shipped file, the whole upstream file it replaces or None for our own CSS)
ROWS = [
    (
        "Utrecht components",
        STATIC / "vendor/utrecht/components.css",
        MODULES / "@utrecht/component-library-css/dist/index.css",
    ),
    (
        "voorbeeld theme tokens",
        STATIC / "vendor/voorbeeld-design-tokens/theme.css",
        MODULES / "@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",
    ),
    ("css/tokens.css (ours)", STATIC / "css/tokens.css", None),
    ("css/portal.css (ours)", STATIC / "css/portal.css", None),
]


def sizes(data: bytes) -> tuple[int, int, int]:
    """``(raw, gzip, brotli)`` byte counts of ``data``, compressed at WhiteNoise's levels."""
    return len(data), len(gzip.compress(data, 9)), len(brotli.compress(data))


def kib(n: int) -> str:
    return f"{n / 1024:7.1f}"


def main() -> None:
    """Print one row per stylesheet and the per-page total, shipped vs whole, in KiB."""
    have_full = MODULES.is_dir()
    print(
        f"{'KiB':24} {'shipped':>7} {'gz':>7} {'br':>7} | {'whole':>7} {'gz':>7} {'br':>7} | ratio"
    )
    totals = [0] * 6
    for label, shipped, whole in ROWS:
        s = sizes(shipped.read_bytes())
        whole_sizes = sizes(whole.read_bytes()) if whole and have_full else (0, 0, 0)
        w = s if whole is None else whole_sizes  # our own CSS: the same file before and after
        totals = [a + b for a, b in zip(totals, (*s, *w), strict=True)]
        ratio = f"{s[0] / w[0]:5.1%}" if w[0] else "  n/a"
        print(
            f"{label:24} {kib(s[0])} {kib(s[1])} {kib(s[2])} | "
            f"{kib(w[0])} {kib(w[1])} {kib(w[2])} | {ratio}"
        )
    ratio = f"{totals[0] / totals[3]:5.1%}" if totals[3] else "  n/a"
    print(
        f"{'per page':24} {kib(totals[0])} {kib(totals[1])} {kib(totals[2])} | "
        f"{kib(totals[3])} {kib(totals[4])} {kib(totals[5])} | {ratio}"
    )
    if not have_full:
        print("(frontend/node_modules missing: run `cd frontend && npm ci` for the whole packages)")


if __name__ == "__main__":
    main()
