"""Renderings of a `PlanRecord`: Markdown for reading, a short summary for the CLI, CSV rows of tasks."""

from __future__ import annotations

from html import escape

from ..models import PlanRecord, Section

__all__ = ["to_markdown", "render_summary", "task_rows", "TASK_COLUMNS"]

TASK_COLUMNS = (
    "number", "symbol", "issued_date", "tt", "period", "content", "lead_unit", "cooperating_units",
    "timeframe", "month", "year", "page", "confidence", "warnings",
)  # fmt: skip


def _t(s: object) -> str:
    """Document text as Markdown text: `<script>` or `&` in a scan must not become live HTML."""
    return "" if s is None else escape(str(s), quote=False)


def _cell(s: object) -> str:
    return _t(s).replace("|", "\\|").replace("\n", " ")


def _sections_md(sections: list[Section], out: list[str]) -> None:
    for s in sections:
        label = (
            s.label
            if s.kind in ("dash", "article", "chapter")
            else f"{s.label}{')' if s.kind == 'letter' else '.'}"
        )
        head = _t(f"{label} {s.title}".strip() if s.title else label)
        if s.kind in ("roman", "chapter", "article"):
            out += [f"{'#' * min(2 + s.level, 6)} {head}", ""]
            if s.text:
                out += [_t(s.text), ""]
        else:
            indent = "  " * max(0, s.level - 1)
            text = f"**{head}** {_t(s.text)}".strip() if s.title else f"{head} {_t(s.text)}".strip()
            out.append(f"{indent}{text}")
            out.append("")
        _sections_md(s.children, out)


def to_markdown(record: PlanRecord) -> str:
    """Readable rendering: header, bases, body sections, the task table, signature, recipients."""
    h = record.header
    out: list[str] = []
    if h.parent_authority:
        out.append(f"**{_t(h.parent_authority)}**  ")
    if h.authority:
        out.append(f"**{_t(h.authority)}**  ")
    number = "/".join(x for x in (h.number, h.symbol) if x)
    if number:
        out.append(f"Số: {_t(number)}  ")
    if h.place or h.issued_date:
        out.append(
            f"{_t(h.place)}, {h.issued_date.isoformat() if h.issued_date else 'ngày ... '}".strip(", ")
        )
    out += ["", f"# {_t((h.doc_type or 'Văn bản').upper())}", ""]
    if h.title:
        out += [f"**{_t(h.title)}**", ""]
    for b in record.legal_bases:
        out += [f"_{_t(b.text)}_", ""]
    _sections_md(record.sections, out)
    if record.tasks:
        out += [
            "## Nhiệm vụ",
            "",
            "| TT | Thời kỳ | Nội dung | Thời gian | Chủ trì | Phối hợp |",
            "|---|---|---|---|---|---|",
        ]
        for t in record.tasks:
            tt = f"{t.tt}{'*' if t.tt_inferred else ''}" if t.tt is not None else ""
            coop = "; ".join(t.cooperating_units)
            row = (tt, t.period, t.content, t.timeframe, t.lead_unit or t.responsible, coop)
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        out.append("")
    sig = record.signature
    if sig.titles or sig.name:
        out += ["---", ""]
        out += [f"**{_t(t)}**  " for t in sig.titles]
        if sig.name:
            out.append(f"**{_t(sig.name)}**")
        out.append("")
    if sig.digital:
        d = sig.digital
        out += [
            f"_Ký số: {_t(d.signer)} {_t(f'<{d.email}>') if d.email else ''} {d.signed_at.isoformat() if d.signed_at else ''}_".replace(
                "  ", " "
            ),
            "",
        ]
    if record.recipients:
        out += ["**Nơi nhận:**", ""] + [f"- {_t(r)}" for r in record.recipients] + [""]
    checks = [f"- `{w.code}`: {_cell(w.message)}" for w in record.quality.warnings]
    for t in record.tasks:
        where = f"TT {t.tt}" if t.tt is not None else "row"
        page = f" (trang {t.page})" if t.page else ""
        checks += [f"- {where}{page}: {_cell(w)}" for w in t.warnings]
    if checks:  # in plain sight: a reviewer reads them before trusting the record
        out += ["## Cần kiểm tra (warnings)", "", *checks, ""]
    return "\n".join(out).rstrip() + "\n"


def render_summary(record: PlanRecord) -> str:
    """A few lines for a terminal: identity, counts, periods, signer, warnings."""
    h = record.header
    lines = [
        f"{h.doc_type or '?'} {'/'.join(x for x in (h.number, h.symbol) if x) or '(no number)'}"
        f" — {h.place or '?'}, {h.issued_date.isoformat() if h.issued_date else 'date ?'}",
        f"  issuer:  {h.authority or '?'}" + (f" (under {h.parent_authority})" if h.parent_authority else ""),
        f"  title:   {h.title or '?'}",
        f"  bases:   {len(record.legal_bases)} ({sum(len(b.cited) for b in record.legal_bases)} cited documents)",
        f"  tasks:   {len(record.tasks)}",
    ]
    periods: dict[str, int] = {}
    for t in record.tasks:
        periods[t.period or "-"] = periods.get(t.period or "-", 0) + 1
    if periods:
        lines.append("           " + ", ".join(f"{p}: {n}" for p, n in periods.items()))
    sig = record.signature
    who = " ".join([*(f"{m}." for m in sig.modes), *sig.titles[-1:], sig.name or "?"])
    lines.append(f"  signer:  {who}")
    if sig.digital and sig.digital.signed_at:
        lines.append(f"  e-signed {sig.digital.signed_at.isoformat()} by {sig.digital.signer or '?'}")
    lines.append(f"  recipients: {len(record.recipients)}")
    for w in record.quality.warnings:
        lines.append(f"  warning: {w.code}: {w.message}")
    return "\n".join(lines) + "\n"


def task_rows(record: PlanRecord) -> list[dict]:
    """One dict per task (TASK_COLUMNS keys) for a batch `tasks.csv`; lists joined with `; `."""
    h = record.header
    return [
        {
            "number": h.number,
            "symbol": h.symbol,
            "issued_date": h.issued_date.isoformat() if h.issued_date else None,
            "tt": t.tt,
            "period": t.period,
            "content": t.content,
            "lead_unit": t.lead_unit,
            "cooperating_units": "; ".join(t.cooperating_units),
            "timeframe": t.timeframe,
            "month": t.month,
            "year": t.year,
            "page": t.page,
            "confidence": t.confidence,
            "warnings": "; ".join(t.warnings),
        }
        for t in record.tasks
    ]
