"""Builds the CJK font bundled for PDFs (static/pdf/fonts/NotoSansCJKsc-*-subset.woff2).

The source is Noto Sans CJK SC 2.004 (SIL OFL 1.1), as Debian's fonts-noto-cjk installs it
(a collection with the JP, KR, SC, TC and HK faces) or as an Adobe/Google release OTF. The subset
keeps every character the SC face has, except Hangul (an export-control workbench for Chinese
exporters prints no Korean), and only the layout features a PDF of horizontal text uses: the
Japanese, Korean and Traditional glyph variants reachable through `locl`, the vertical forms and
the width variants go, which halves the file. See docs/pdf.md for the measurements.

    python scripts/build_pdf_fonts.py [--source-dir /usr/share/fonts/opentype/noto]

Takes about a minute per weight; the output is deterministic for a given source.
"""

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "static" / "pdf" / "fonts"
WEIGHTS = ("Regular", "Bold")
HANGUL = (
    (0x1100, 0x11FF),  # Jamo
    (0x3130, 0x318F),  # compatibility Jamo
    (0xA960, 0xA97F),  # Jamo extended A
    (0xAC00, 0xD7AF),  # syllables
    (0xD7B0, 0xD7FF),  # Jamo extended B
)
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk", "case", "frac", "sups", "subs"]


def load_sc_face(source_dir: Path, weight: str) -> TTFont:
    """The Simplified Chinese face, from an OTF if there is one, else from the collection."""
    otf = source_dir / f"NotoSansCJKsc-{weight}.otf"
    if otf.exists():
        return TTFont(otf)
    collection = TTCollection(source_dir / f"NotoSansCJK-{weight}.ttc")
    for face in collection.fonts:
        if face["name"].getDebugName(1) == "Noto Sans CJK SC":
            return face
    raise SystemExit(f"No Noto Sans CJK SC face in {source_dir} for {weight}")


def build(source_dir: Path, weight: str) -> Path:
    font = load_sc_face(source_dir, weight)
    unicodes = [
        codepoint
        for codepoint in font.getBestCmap()
        if not any(start <= codepoint <= end for start, end in HANGUL)
    ]
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # PDF viewers do not use CFF hints for CJK at text sizes
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    output = OUTPUT_DIR / f"NotoSansCJKsc-{weight}-subset.woff2"
    subset.save_font(font, output, options)
    print(f"{output.name}: {len(unicodes)} characters, {output.stat().st_size / 1e6:.1f} MB")
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=Path("/usr/share/fonts/opentype/noto"))
    arguments = parser.parse_args()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    for weight in WEIGHTS:
        build(arguments.source_dir, weight)


if __name__ == "__main__":
    main()
