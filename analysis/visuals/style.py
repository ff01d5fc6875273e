"""One look for every map and chart, and saving that gives the same bytes for the same inputs.

Why: figures are shared outside the notebooks (briefings, threads), so they must
read the same everywhere and be reproducible. The palette is Okabe-Ito, which
stays distinguishable for the common colour-vision deficiencies; the font is
DejaVu Sans, which ships with matplotlib, so no system font changes a picture;
PNG and SVG are written without dates or software versions and with a fixed
SVG hash salt, so two renders of the same data are byte-identical.

Maps and charts are built without pyplot, so a Jupyter kernel would show a
figure returned by a cell as ``<Figure size ...>``; importing this module in a
kernel registers a PNG display for figures (:func:`enable_inline_display`), so
that they show inline with no ``%matplotlib inline``.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

# Okabe & Ito (2008), "Color Universal Design"; black first for text and outlines.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
# A cycle for categorical series, without black and yellow (too weak on white).
CYCLE = [OKABE_ITO[k] for k in ("blue", "vermillion", "green", "orange", "purple", "sky_blue")]
MARKERS = ["o", "s", "D", "^", "v", "P", "X", "p", "h", "<", ">"]

INK = "#222222"  # text and strong lines
MUTED = "#666666"  # secondary text
LAND = "#f4f3ef"  # land outside the focus countries
FOCUS_LAND = "#fbfaf7"  # land of the theatre countries
WATER = "#dfeaf2"
TINT = "#f3c68a"  # a region the articles name (light orange, from Okabe-Ito orange)
COUNTRY_EDGE = "#4d4d4d"
ADMIN_EDGE = "#b3b3b3"

DPI = 200  # PNG resolution: sharp on a slide, small enough for a thread
SCREEN_DPI = 110  # PNG resolution of a figure shown in a notebook
SVG_HASHSALT = "nk-war-analysis"
FONT = "DejaVu Sans"

RC: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=CYCLE),
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "svg.fonttype": "path",  # glyphs as paths: no font needed to view the SVG
    "svg.hashsalt": SVG_HASHSALT,
    "path.simplify": True,
    "text.color": INK,
    # Text from articles (ids, titles, place and source names) is shown as written:
    # '$...$' in a file name is not maths (and must not fail a drawing).
    "text.parse_math": False,
}

# Writers' metadata switched off: no dates, no versions, nothing that changes by itself.
PNG_METADATA: dict[str, str | None] = {"Software": None}
SVG_METADATA: dict[str, str | None] = {"Creator": None, "Date": None, "Format": None, "Type": None}


@contextmanager
def context() -> Iterator[None]:
    """Apply :data:`RC` while a figure is drawn or saved, leaving the caller's settings alone."""
    rc: Any = RC
    with mpl.rc_context(rc):
        yield


def thousands(x: float, _pos: object = None) -> str:
    """A tick label with thousands separators: 12000 -> '12,000', 0.5 -> '0.5'.

    Examples:
        >>> thousands(5800000), thousands(12000.0), thousands(0.5)
        ('5,800,000', '12,000', '0.5')
    """
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}"
    return f"{x:,.2g}"


THOUSANDS = FuncFormatter(thousands)


def compact(x: float) -> str:
    """A short number for crowded labels: 5800000 -> '5.8M', 14000 -> '14,000', 8 -> '8'.

    Examples:
        >>> compact(5_800_000), compact(14_000), compact(250_000), compact(8.0)
        ('5.8M', '14,000', '250,000', '8')
    """
    if abs(x) >= 1_000_000:
        return f"{x / 1_000_000:.3g}M"
    return thousands(x)


def savefig(fig: Figure, path: str | Path, *, dpi: int = DPI) -> Path:
    """Write ``fig`` as PNG or SVG (by suffix) with fixed metadata and hash salt.

    Raises:
        ValueError: "unsupported image format '.pdf': use .png or .svg" for other suffixes.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format '{path.suffix}': use .png or .svg")
    metadata = PNG_METADATA if fmt == "png" else SVG_METADATA
    with context():
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return path


def source_note(fig: Figure, text: str, *, y: float = 0.012) -> None:
    """Put the source line under the figure, left-aligned, small and muted."""
    fig.text(
        0.01, y, text, ha="left", va="bottom", fontsize=7, color=MUTED, gid="source", wrap=True
    )


def empty_figure(title: str, message: str, note: str) -> Figure:
    """A small figure that says there is nothing to show, instead of raising."""
    with context():
        fig = Figure(figsize=(7, 2.4), layout=None)
        ax = fig.add_axes((0, 0.15, 1, 0.7))
        ax.set_axis_off()
        ax.text(0.5, 0.55, message, ha="center", va="center", fontsize=11, gid="empty")
        fig.suptitle(title, fontsize=11, fontweight="bold", x=0.01, ha="left")
        source_note(fig, note)
    return fig


def figure_png(fig: Figure, dpi: int = SCREEN_DPI) -> bytes:
    """``fig`` as PNG bytes, written as :func:`savefig` writes (fixed metadata), at ``dpi``."""
    buf = io.BytesIO()
    with context():
        fig.savefig(buf, format="png", dpi=dpi, metadata=PNG_METADATA, facecolor="white")
    return buf.getvalue()


def enable_inline_display() -> bool:
    """In a Jupyter (IPython) kernel, show figures returned by a cell as PNG; True if it did.

    Their plain-text form is their title, not matplotlib's ``<Figure size ...>``.

    Outside a kernel (scripts, tests, a terminal IPython) nothing changes, and
    IPython is not imported.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "kernel"):
        return False
    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type(Figure, figure_png)
    formatters["text/plain"].for_type(Figure, _figure_text)
    return True


def _figure_text(fig: Figure, printer: Any, _cycle: bool) -> None:
    """The text a kernel shows beside (or, in a console, instead of) a figure's PNG: its title."""
    titles = [t.get_text() for t in fig.texts if t.get_gid() == "title"]
    printer.text(f"[figure: {titles[0]}]" if titles else "[figure]")


enable_inline_display()
