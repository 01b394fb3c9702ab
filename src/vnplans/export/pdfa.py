"""PDF/A-2b finishing for the searchable PDF: XMP metadata from the record, an sRGB output intent.

Why: archives accept PDF/A; its part 2 keeps JPEG and JPEG 2000 scans as they are (no recompression)
and allows the transparency some scanners' PDFs carry. What this module guarantees is the document
level: PDF 1.7, `pdfaid:part=2` / `conformance=B` in XMP consistent with the Info dictionary, a
document ID, and an sRGB ICC output intent. The profile is built by LittleCMS through Pillow (no file
to ship or download). Page content is the caller's: images as scanned, fonts embedded.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf

from ..atomic import atomic_write_bytes

__all__ = ["DocMeta", "meta_from_record", "srgb_profile", "finish_pdfa", "save_pdfa"]


@dataclass(frozen=True)
class DocMeta:
    """What the archive's catalogue reads from the file: title, number/symbol, date, issuing body."""

    title: str | None = None
    identifier: str | None = None  # "244/KH-UBND"
    date: dt.date | None = None
    issuer: str | None = None
    subject: str | None = None  # document type, e.g. "Kế hoạch"


def meta_from_record(record: Any) -> DocMeta:
    """A PlanRecord's header as document metadata (fields the parser did not find stay out)."""
    h = getattr(record, "header", None)
    if h is None:
        return DocMeta()
    ident = "/".join(p for p in (h.number, h.symbol) if p) or None
    return DocMeta(
        title=h.title, identifier=ident, date=h.issued_date, issuer=h.authority, subject=h.doc_type
    )


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (LittleCMS's built-in, via Pillow), its creation time fixed so the same
    input gives the same PDF (the header's date field; the profile carries no MD5 ID to invalidate)."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)  # dateTimeNumber: 2000-01-01 00:00:00
    return bytes(data)


def _output_intent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc["/N"] = 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        RegistryName=pikepdf.String("http://www.color.org"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=pdf.make_indirect(icc),
    )


def finish_pdfa(pdf: pikepdf.Pdf, meta: DocMeta) -> None:
    """Add the output intent and XMP (PDF/A-2b identification, the document's metadata) in place."""
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(_output_intent(pdf))])
    for key in ("/Encrypt",):  # not allowed in PDF/A; an encrypted input never gets here anyway
        if key in pdf.trailer:
            del pdf.trailer[key]
    for key in ("/OpenAction", "/AA", "/JavaScript"):  # actions are not allowed
        if key in pdf.Root:
            del pdf.Root[key]
    if "/Trapped" in pdf.docinfo:  # no XMP equivalent pikepdf writes; the two must agree
        del pdf.docinfo["/Trapped"]
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as xmp:
        xmp.load_from_docinfo(pdf.docinfo)  # keep what the input said, now in both places
        xmp["pdfaid:part"] = "2"
        xmp["pdfaid:conformance"] = "B"
        xmp["pdf:Producer"] = "vnplans"
        xmp["xmp:CreatorTool"] = "vnplans"
        if meta.title:
            xmp["dc:title"] = meta.title
        if meta.issuer:
            xmp["dc:creator"] = [meta.issuer]
        if meta.identifier:
            xmp["dc:identifier"] = meta.identifier
        if meta.date:
            xmp["dc:date"] = [meta.date.isoformat()]
        if meta.subject:
            xmp["dc:description"] = meta.subject


def save_pdfa(pdf: pikepdf.Pdf, out_path: str | Path) -> Path:
    """Save as PDF 1.7 with a stable document ID, atomically (temp + rename)."""
    buf = io.BytesIO()
    pdf.save(
        buf,
        min_version="1.7",
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=False,  # qpdf would re-encode the input's ASCII85 image streams; they stay as they are
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    out = Path(out_path)
    atomic_write_bytes(out, buf.getvalue())
    return out
