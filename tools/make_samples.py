"""Build the demo inputs in `samples/`: generated plans printed, degraded and saved as real inputs look.

    python -m tools.make_samples --out samples        # or: make samples

Every sample is `generate_plan(seed)` rendered Decree-30 style (`synth/document.py`), degraded with
`synth/degrade.py` and written as one input format, next to its ground truth:
`<name>.truth.txt` (the printed text, pages in order) and `<name>.expected.json` (the generator's
record fields; for a single photographed page only the fields that page shows: the header).
Deterministic: fixed seeds, fixed degradation kinds; PDFs are written with reportlab's invariant mode.

  ke-hoach-01-scan.pdf         4-page image-only PDF (scanner: stamp, skew, blur, noise, JPEG), 150 dpi;
                               its task table runs over three pages with the header repeated
  ke-hoach-02.tiff             2-page grayscale TIFF (office copier: streaks, lighting, blur), 200 dpi
  ke-hoach-03-trang1.jpg       page 1 only, phone-like photo (uneven light, skew, blur, JPEG), 200 dpi
  ke-hoach-04-trang1.png       page 1 only, low-resolution two-tone fax PNG, 150 dpi
  ke-hoach-05-lop-chu-hong.pdf PDF whose text layer lost every diacritic (old OCR export)
  ke-hoach-06-ocr-cu.txt       text from an earlier OCR run with the English model (garbled Vietnamese)
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from vnplans.synth.degrade import degrade
from vnplans.synth.document import RenderedPage, render_document
from vnplans.synth.plans import PlanDoc, generate_plan

GROUND_TRUTH_SUFFIXES = (".truth.txt", ".expected.json")


def _pages(seed: int, dpi: int) -> tuple[PlanDoc, list[RenderedPage]]:
    doc = generate_plan(seed)
    return doc, render_document(doc, dpi=dpi)


def _degraded(pages: Sequence[RenderedPage], seed: int, level: str, kinds: list[str]) -> list[Image.Image]:
    return [degrade(p.image, seed=seed * 100 + i, level=level, kinds=kinds) for i, p in enumerate(pages)]


def _truth(out: Path, name: str, pages: Sequence[RenderedPage], expected: dict | None) -> None:
    (out / f"{name}.truth.txt").write_text(
        "\n".join(p.text.rstrip("\n") for p in pages) + "\n", encoding="utf-8"
    )
    (out / f"{name}.expected.json").write_text(
        json.dumps(expected or {}, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _jpeg_bytes(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def _image_pdf(images: Sequence[Image.Image], path: Path, dpi: int, quality: int = 45) -> None:
    """An image-only PDF, one JPEG per page, as a scanner writes it (byte-identical across runs)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for img in images:
        w, h = img.width * 72 / dpi, img.height * 72 / dpi
        c.setPageSize((w, h))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, w, h)
        c.showPage()
    c.save()


def _gray(img: Image.Image) -> Image.Image:
    return img.convert("L")


def make_scan_pdf(out: Path) -> str:
    name, dpi = "ke-hoach-01-scan", 150
    doc, pages = _pages(0, dpi)
    imgs = _degraded(pages, 1, "medium", ["stamp", "lighting", "skew", "blur", "noise", "jpeg"])
    _image_pdf(imgs, out / f"{name}.pdf", dpi)
    _truth(out, name, pages, doc.expected)
    return name


def make_tiff(out: Path) -> str:
    name, dpi = "ke-hoach-02", 200
    doc, pages = _pages(1, dpi)
    imgs = [_gray(i) for i in _degraded(pages, 2, "medium", ["streaks", "lighting", "blur", "noise"])]
    imgs[0].save(
        out / f"{name}.tiff",
        save_all=True,
        append_images=imgs[1:],
        compression="jpeg",
        quality=50,
        dpi=(dpi, dpi),
    )
    _truth(out, name, pages, doc.expected)
    return name


def make_photo_jpg(out: Path) -> str:
    name, dpi = "ke-hoach-03-trang1", 200
    doc, pages = _pages(7, dpi)
    img = _degraded(pages[:1], 3, "medium", ["stamp", "lighting", "skew", "blur", "noise"])[0]
    img.convert("RGB").save(out / f"{name}.jpg", "JPEG", quality=55, dpi=(dpi, dpi), optimize=True)
    _truth(out, name, pages[:1], {"header": (doc.expected or {}).get("header")})
    return name


def make_fax_png(out: Path) -> str:
    name, dpi = "ke-hoach-04-trang1", 150
    doc, pages = _pages(22, dpi)
    img = _gray(_degraded(pages[:1], 4, "medium", ["skew", "blur", "noise", "speckle"])[0])
    img = img.point(lambda v: 255 if v > 150 else 0).convert("1")  # a fax is two-tone
    img.save(out / f"{name}.png", "PNG", dpi=(dpi, dpi), optimize=True)
    _truth(out, name, pages[:1], {"header": (doc.expected or {}).get("header")})
    return name


def make_bad_layer_pdf(out: Path) -> str:
    """Image pages plus an invisible text layer whose words lost their diacritics."""
    from vnplans.export.searchable import write_searchable_pdf
    from vnplans.ocr import ocr_image
    from vnplans.text.syllable import strip_diacritics

    name, dpi = "ke-hoach-05-lop-chu-hong", 150
    doc, pages = _pages(2, dpi)
    imgs = [_jpeg_bytes(_gray(i), 50) for i in _degraded(pages, 5, "light", ["blur", "noise"])]
    items = []
    for img in imgs:
        ocr = ocr_image(np.asarray(img), lang="vie")
        items.append((img, ocr, [strip_diacritics(w.text) for w in ocr.words]))
    write_searchable_pdf(items, out / f"{name}.pdf", dpi=dpi, jpeg_quality=45)
    _truth(out, name, pages, doc.expected)
    return name


def make_old_ocr_txt(out: Path) -> str:
    """What an earlier OCR run with the English model made of a scan: letters without their marks."""
    from vnplans.ocr import ocr_image

    name, dpi = "ke-hoach-06-ocr-cu", 200
    doc, pages = _pages(14, dpi)
    imgs = _degraded(pages, 6, "light", ["blur", "noise", "jpeg"])
    text = "\n\n".join(ocr_image(np.asarray(_gray(i)), lang="eng").text.strip() for i in imgs)
    (out / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    _truth(out, name, pages, doc.expected)
    return name


MAKERS = [make_scan_pdf, make_tiff, make_photo_jpg, make_fax_png, make_bad_layer_pdf, make_old_ocr_txt]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("samples"))
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for make in MAKERS:
        name = make(args.out)
        size = sum(p.stat().st_size for p in args.out.glob(f"{name}.*"))
        total += size
        print(f"{name}: {size / 1024:.0f} KiB")
    print(f"total {total / 1024 / 1024:.2f} MiB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
