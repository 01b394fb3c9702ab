"""A plan document as structured blocks, shared by the generator, the page renderer and benchmarks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Paragraph", "TaskTable", "PlanDoc", "generate_plan", "ocr_order_text", "flattened_text"]


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    align: str = "justify"  # justify | center | left | right
    indent: bool = True


@dataclass
class TaskTable:
    """TT / Nội dung / Đơn vị thực hiện. A row with one cell is a merged group row (e.g. `QUÝ I`)."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class PlanDoc:
    authority_lines: list[str]  # left header block, e.g. ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"]
    motto_lines: list[str]  # right header block: Quốc hiệu and Tiêu ngữ
    number_line: str  # "Số: 244/KH-UBND"
    place_date_line: str  # "Cần Thơ, ngày 20 tháng 12 năm 2022"
    doc_type: str  # "KẾ HOẠCH"
    title_lines: list[str]
    body: list[Paragraph | TaskTable] = field(default_factory=list)
    recipients_lines: list[str] = field(default_factory=list)  # "Nơi nhận:" then "- ...;" lines
    signature_lines: list[str] = field(default_factory=list)  # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", name
    expected: dict | None = None  # the record fields a parser should recover (generator's ground truth)
    digital_lines: list[str] = field(default_factory=list)  # e-signature stamp text, printed last

    def to_text(self) -> str:
        """Linear text in reading order, as a clean text export of the document would read."""
        out: list[str] = []
        for a, b in zip(self.authority_lines, self.motto_lines, strict=False):
            out.append(f"{a}    {b}")
        longer = (
            self.authority_lines if len(self.authority_lines) > len(self.motto_lines) else self.motto_lines
        )
        out.extend(longer[min(len(self.authority_lines), len(self.motto_lines)) :])
        out += [self.number_line + "    " + self.place_date_line, "", self.doc_type, *self.title_lines, ""]
        for block in self.body:
            if isinstance(block, Paragraph):
                out.append(block.text)
            else:
                out.append(" | ".join(block.header))
                out.extend(" | ".join(r) for r in block.rows)
            out.append("")
        out += self.signature_lines + [""] + self.recipients_lines
        if self.digital_lines:
            out += ["", *self.digital_lines]
        return "\n".join(out).strip() + "\n"


# --------------------------------------------------------------------------------------------------
# Generator: varied, realistic plans with their ground-truth record fields (vocabulary of our own).
# --------------------------------------------------------------------------------------------------

_PROVINCES = (
    ("Bắc Ninh", "tỉnh"), ("Hải Phòng", "thành phố"), ("Đà Nẵng", "thành phố"), ("Nghệ An", "tỉnh"),
    ("Lâm Đồng", "tỉnh"), ("Khánh Hòa", "tỉnh"), ("Quảng Ninh", "tỉnh"), ("Thái Nguyên", "tỉnh"),
    ("Bình Định", "tỉnh"), ("Đồng Tháp", "tỉnh"), ("An Giang", "tỉnh"), ("Hà Tĩnh", "tỉnh"),
    ("Sóc Trăng", "tỉnh"), ("Vĩnh Long", "tỉnh"), ("Gia Lai", "tỉnh"), ("Tây Ninh", "tỉnh"),
    ("Hà Nội", "thành phố"), ("Kon Tum", "tỉnh"), ("Phú Yên", "tỉnh"), ("Lạng Sơn", "tỉnh"),
)  # fmt: skip
_DISTRICTS = (
    "Yên Phong",
    "Tiên Du",
    "Đông Hưng",
    "Krông Pắc",
    "Châu Thành",
    "Phù Mỹ",
    "Tam Nông",
    "Lục Ngạn",
    "Hòa Vang",
    "Cam Lâm",
)
_DEPARTMENTS = (
    ("Sở Nội vụ", "SNV"), ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Y tế", "SYT"), ("Sở Tài chính", "STC"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"), ("Sở Tư pháp", "STP"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Tài nguyên và Môi trường", "STNMT"), ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
)  # fmt: skip
_THEMES = (
    "triển khai công tác thi đua, khen thưởng", "thực hiện công tác cải cách hành chính",
    "tuyên truyền, phổ biến, giáo dục pháp luật", "chuyển đổi số và phát triển chính quyền số",
    "phòng, chống thiên tai và tìm kiếm cứu nạn", "bảo vệ môi trường và ứng phó biến đổi khí hậu",
    "bảo đảm an toàn thực phẩm", "phát triển du lịch cộng đồng", "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "nâng cao chất lượng nguồn nhân lực", "thực hành tiết kiệm, chống lãng phí", "công tác văn thư, lưu trữ",
)  # fmt: skip
_TASK_VERBS = (
    "Tổ chức", "Xây dựng", "Triển khai", "Kiểm tra, đôn đốc", "Tổng hợp, báo cáo", "Hướng dẫn", "Rà soát",
    "Tuyên truyền", "Sơ kết", "Tổng kết", "Tập huấn", "Thẩm định", "Phát động", "Biên soạn", "Đánh giá",
)  # fmt: skip
_TASK_OBJECTS = (
    "hội nghị triển khai nhiệm vụ", "kế hoạch thực hiện các chỉ tiêu", "kết quả thực hiện nhiệm vụ",
    "bộ tài liệu hướng dẫn nghiệp vụ", "việc thực hiện các quy định hiện hành", "phong trào thi đua chuyên đề",
    "hồ sơ đề nghị khen thưởng", "các mô hình điểm tại cơ sở", "danh sách tập thể, cá nhân tiêu biểu",
    "lớp bồi dưỡng cho cán bộ, công chức", "đoàn kiểm tra liên ngành", "số liệu thống kê định kỳ",
    "chuyên mục trên cổng thông tin điện tử", "việc lấy ý kiến góp ý của các cơ quan",
)  # fmt: skip
_TASK_TAILS = (
    "trên địa bàn {area}", "năm {y}", "6 tháng đầu năm {y}", "giai đoạn {y}-{y2}", "của các cơ quan, đơn vị",
    "theo quy định", "gắn với việc thực hiện nhiệm vụ chính trị", "tại các huyện, thị xã, thành phố",
)  # fmt: skip
_UNITS = (
    "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
    "Ban Thi đua - Khen thưởng {lvl}", "Văn phòng UBND {lvl}", "Công an {lvl}", "Bộ Chỉ huy Quân sự {lvl}",
    "Đài Phát thanh và Truyền hình {lvl}", "Liên đoàn Lao động {lvl}", "Ban Dân tộc {lvl}",
)  # fmt: skip
_GROUPS = (
    "các cơ quan liên quan",
    "các sở, ban, ngành {lvl}",
    "các đơn vị có liên quan",
    "UBND các huyện, thị xã, thành phố",
)
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Phan", "Trương")
_MIDDLES = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Đức", "Hoài", "Xuân")
_GIVEN = ("Hùng", "Lan", "Tuấn", "Hòa", "Phương", "Dũng", "Hạnh", "Sơn", "Thảo", "Long", "Nam", "Yến", "Khải")
_AIMS = (
    "Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức trong việc thực hiện nhiệm vụ được giao",
    "Bảo đảm sự phối hợp chặt chẽ, thống nhất giữa các cơ quan, đơn vị trong quá trình triển khai",
    "Kịp thời phát hiện, biểu dương những tập thể, cá nhân có thành tích xuất sắc",
    "Đánh giá đúng thực chất kết quả đạt được, chỉ ra những hạn chế cần khắc phục",
    "Huy động sự tham gia của các tầng lớp nhân dân, doanh nghiệp và các tổ chức xã hội",
    "Gắn việc thực hiện kế hoạch với nhiệm vụ phát triển kinh tế - xã hội của địa phương",
    "Triển khai đồng bộ, hiệu quả, tránh hình thức, lãng phí",
)  # fmt: skip
_ORG_ITEMS = (
    "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố căn cứ Kế hoạch này xây dựng kế hoạch cụ thể của đơn vị mình",
    "Sở Tài chính tham mưu bố trí kinh phí thực hiện theo quy định",
    "Định kỳ hằng quý, các cơ quan, đơn vị báo cáo kết quả thực hiện về cơ quan thường trực để tổng hợp",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh để được hướng dẫn",
)  # fmt: skip
_LAWS = (
    "Tổ chức chính quyền địa phương",
    "Thi đua, khen thưởng",
    "Phổ biến, giáo dục pháp luật",
    "Bảo vệ môi trường",
    "Phòng cháy và chữa cháy",
)
_RECIPIENTS = (
    "Bộ Nội vụ",
    "Văn phòng Chính phủ",
    "TT. Tỉnh ủy, TT. HĐND {lvl}",
    "Chủ tịch, các PCT UBND {lvl}",
    "Các sở, ban, ngành {lvl}",
    "UBND các huyện, thị xã, thành phố",
    "Báo {p}",
    "Cổng thông tin điện tử {lvl}",
)
_QUAL = ("đầu", "giữa", "cuối")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _vn_date(d: int | None, m: int, y: int) -> str:
    return f"ngày {d:02d} tháng {m} năm {y}" if d else f"ngày     tháng {m} năm {y}"


def _name(rng) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLES)} {rng.choice(_GIVEN)}"


def generate_plan(seed: int) -> PlanDoc:
    """A plan whose `expected` holds the record fields a parser should recover from `to_text()`."""
    import random

    rng = random.Random(seed)
    prov, lvl = rng.choice(_PROVINCES)
    lvl_up = lvl.upper()
    year = rng.randint(2019, 2025)
    plan_year = year + 1 if rng.random() < 0.6 else year
    # Issuing body: provincial people's committee, one of its departments, or a district committee.
    kind = rng.choices(("province", "department", "district"), (5, 3, 2))[0]
    if kind == "province":
        authority_lines, parent, authority = ["ỦY BAN NHÂN DÂN", f"{lvl_up} {prov.upper()}"], None, None
        org_code, place, body_name = "UBND", prov, f"Ủy ban nhân dân {lvl} {prov}"
    elif kind == "department":
        dep, org_code = rng.choice(_DEPARTMENTS)
        authority_lines = [f"UBND {lvl_up} {prov.upper()}", dep.upper()]
        parent, authority = authority_lines[0], authority_lines[1]
        place, body_name = prov, dep
    else:
        dist = rng.choice(_DISTRICTS)
        authority_lines, parent, authority = ["ỦY BAN NHÂN DÂN", f"HUYỆN {dist.upper()}"], None, None
        org_code, place, body_name = "UBND", dist, f"Ủy ban nhân dân huyện {dist}"
    authority = authority or " ".join(authority_lines)
    type_name, type_code = rng.choices(
        (("Kế hoạch", "KH"), ("Chương trình", "CTr"), ("Phương án", "PA")), (8, 1, 1)
    )[0]
    number = str(rng.randint(1, 480))
    symbol = f"{type_code}-{org_code}"
    month = rng.randint(1, 12)
    day = None if rng.random() < 0.15 else rng.randint(1, 28)
    theme = rng.choice(_THEMES)
    title = f"{_cap(theme)} năm {plan_year}"
    lvl_short = lvl if kind != "district" else "huyện"
    doc = PlanDoc(
        authority_lines=authority_lines,
        motto_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        number_line=f"Số: {number}/{symbol}",
        place_date_line=f"{place}, {_vn_date(day, month, year)}",
        doc_type=type_name.upper(),
        title_lines=[title],
    )
    # Preamble bases.
    bases, body = [], doc.body
    n_bases = rng.randint(1, 3)
    for i in range(n_bases):
        by, bm, bd = year - rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28)
        if i == 0 and rng.random() < 0.5:
            law = rng.choice(_LAWS)
            text = f"Căn cứ Luật {law} {_vn_date(bd, bm, by)};"
            cited = [
                {
                    "doc_type": "Luật",
                    "number_symbol": None,
                    "date": f"{by:04d}-{bm:02d}-{bd:02d}",
                    "issuer": None,
                }
            ]
            kind_b = "Căn cứ"
        else:
            ctype, ccode, issuer = rng.choice(
                (("Quyết định", "QĐ-TTg", "Thủ tướng Chính phủ"), ("Kế hoạch", "KH-UBND", f"Ủy ban nhân dân {lvl} {prov}"),
                 ("Chỉ thị", "CT-UBND", f"Chủ tịch Ủy ban nhân dân {lvl} {prov}"), ("Nghị quyết", "NQ-HĐND", f"Hội đồng nhân dân {lvl} {prov}"))
            )  # fmt: skip
            ns = f"{rng.randint(1, 300)}/{ccode}"
            kind_b = rng.choice(("Thực hiện", "Căn cứ"))
            text = f"{kind_b} {ctype} số {ns} {_vn_date(bd, bm, by)} của {issuer} về {rng.choice(_THEMES)};"
            cited = [
                {
                    "doc_type": ctype,
                    "number_symbol": ns,
                    "date": f"{by:04d}-{bm:02d}-{bd:02d}",
                    "issuer": issuer,
                }
            ]
        bases.append({"kind": kind_b, "cited": cited})
        body.append(Paragraph(text))
    if kind == "department" and rng.random() < 0.5:
        body.append(
            Paragraph(
                f"Theo đề nghị của Trưởng phòng {rng.choice(('Tổng hợp', 'Nghiệp vụ', 'Kế hoạch - Tài chính'))},"
            )
        )
        bases.append({"kind": "Theo đề nghị", "cited": []})
    body.append(Paragraph(f"{_cap(body_name)} ban hành {type_name} {theme} năm {plan_year} như sau:"))
    # Sections.
    sections = ["I", "II", "III"]
    body.append(Paragraph("I. MỤC ĐÍCH, YÊU CẦU", bold=True, indent=False))
    body.append(Paragraph("1. Mục đích", bold=True))
    aims = rng.sample(_AIMS, len(_AIMS))
    n_aims = rng.randint(2, 5)
    for j in range(n_aims):
        body.append(Paragraph(f"{'abcdđe'[j]}) {aims[j]}."))
    body.append(Paragraph("2. Yêu cầu", bold=True))
    for aim in aims[n_aims : n_aims + rng.randint(1, 2)]:
        body.append(Paragraph(f"- {aim}."))
    body.append(Paragraph("II. NỘI DUNG", bold=True, indent=False))
    tasks, rows = _tasks(rng, lvl_short, plan_year, prov)
    body.append(TaskTable(header=["TT", "Nội dung", "Đơn vị thực hiện"], rows=rows))
    body.append(Paragraph("III. TỔ CHỨC THỰC HIỆN", bold=True, indent=False))
    for j, item in enumerate(rng.sample(_ORG_ITEMS, rng.randint(2, 4)), start=1):
        body.append(Paragraph(f"{j}. {item}."))
    # Signature, recipients, digital signature.
    signer = _name(rng)
    head = "CHỦ TỊCH" if kind != "department" else "GIÁM ĐỐC"
    deputy = rng.random() < 0.5
    if kind == "department":
        sig = [f"KT. {head}", f"PHÓ {head}"] if deputy else [head]
        modes = ["KT"] if deputy else []
    else:
        sig = ["TM. ỦY BAN NHÂN DÂN"] + ([f"KT. {head}", f"PHÓ {head}"] if deputy else [head])
        modes = ["TM", "KT"] if deputy else ["TM"]
    doc.signature_lines = sig + [signer]
    titles = [ln.split(". ", 1)[-1] if ln[:3] in ("TM.", "KT.") else ln for ln in sig]
    recips = [r.format(lvl=lvl_short, p=prov) for r in rng.sample(_RECIPIENTS, rng.randint(3, 6))]
    recips.append(f"Lưu: VT, {org_code}")
    doc.recipients_lines = ["Nơi nhận:"] + [f"- {r};" for r in recips[:-1]] + [f"- {recips[-1]}."]
    digital = None
    issued = f"{year:04d}-{month:02d}-{day:02d}" if day else None
    if rng.random() < 0.5:
        sd = day or rng.randint(1, 28)
        stamp = f"{year:04d}-{month:02d}-{sd:02d}T{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+07:00"
        email = f"vanthu.{fold_ascii(org_code)}@{fold_ascii(prov)}.gov.vn"
        doc.digital_lines = [stamp.replace("+07:00", "+0700"), f"{authority}<{email}> đã ký lên văn bản này!"]
        digital = {"signed_at": stamp, "signer": authority, "email": email}
        if not day:  # a blank printed day is read from the digital signature's time (with a warning)
            issued = stamp[:10]
    doc.expected = {
        "header": {
            "authority": authority, "parent_authority": parent,
            "national_motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tagline": "Độc lập - Tự do - Hạnh phúc",
            "number": number, "symbol": symbol, "place": place, "issued_date": issued,
            "doc_type": type_name.upper(), "doc_type_code": type_code, "title": title,
        },
        "legal_bases": bases,
        "sections": sections,
        "tasks": tasks,
        "recipients": recips,
        "signature": {"mode": modes[0] if modes else None, "modes": modes, "titles": titles, "name": signer, "digital": digital},
    }  # fmt: skip
    return doc


def fold_ascii(s: str) -> str:
    """Lower-case ASCII slug of a place name, for generated e-mail domains."""
    import unicodedata

    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if c.isascii() and c.isalnum())


def _tasks(rng, lvl: str, year: int, prov: str) -> tuple[list[dict], list[list[str]]]:
    n = rng.randint(8, 40)
    per_q = [1, 1, 1, 1]
    for _ in range(n - 4):
        per_q[rng.randrange(4)] += 1
    tasks, rows, tt = [], [], 0
    for q, count in enumerate(per_q):
        period = f"QUÝ {('I', 'II', 'III', 'IV')[q]}"
        rows.append([period])
        for _ in range(count):
            tt += 1
            tail = rng.choice(_TASK_TAILS).format(
                area=f"{lvl} {prov}" if lvl != "huyện" else "huyện", y=year, y2=year + 2
            )
            content = f"{rng.choice(_TASK_VERBS)} {rng.choice(_TASK_OBJECTS)} {tail}"
            tf = month = qual = None
            if rng.random() < 0.65:
                month = rng.choice(range(q * 3 + 1, q * 3 + 4))
                qual = rng.choice(_QUAL) if rng.random() < 0.3 else None
                mm = f"{month:02d}" if rng.random() < 0.5 else str(month)
                tf = f"tháng {mm}/{year}" if rng.random() < 0.7 else f"tháng {mm} năm {year}"
                tf = f"{qual} {tf}" if qual else tf
            lead = rng.choice(_UNITS).format(lvl=lvl)
            coop = [
                u.format(lvl=lvl) for u in rng.sample(_UNITS, rng.randint(0, 2)) if u.format(lvl=lvl) != lead
            ]
            style = rng.random()
            if style < 0.15:
                resp, coop = lead, []
            elif style < 0.25:
                resp, coop = f"{lead} chủ trì", []
            else:
                coop = coop + [rng.choice(_GROUPS).format(lvl=lvl)]
                joined = ", ".join(coop[:-1]) + (" và " if len(coop) > 1 else "") + coop[-1]
                resp = (
                    f"{lead} chủ trì, phối hợp với {joined}"
                    if style < 0.8
                    else f"{lead} chủ trì phối hợp với {joined}"
                )
            rows.append([str(tt), f"{content} ({tf})" if tf else content, resp])
            tasks.append({
                "tt": tt, "period": period, "content": content, "responsible": resp, "lead_unit": lead,
                "cooperating_units": coop, "timeframe": tf, "month": month, "year": year if tf else None,
                "qualifier": qual,
            })  # fmt: skip
    return tasks, rows


def _wrap(text: str, width: float, measure: Callable[[str], float] = len) -> list[str]:
    """Greedy word wrap: lines no wider than `width` as `measure` counts (characters by default)."""
    lines, cur = [], ""
    for w in text.split():
        if cur and measure(f"{cur} {w}") > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return lines + ([cur] if cur else [])


def ocr_order_text(doc: PlanDoc, seed: int = 0, *, page_lines: int = 46) -> str:
    """The document as OCR of its page images reads it: header columns interleaved on one line, the
    task table as cell blocks (row number, content, then unit cell; sometimes the unit cell first or a
    row flattened with `|`), quarter markers (sometimes glued: `QUÝI`), the table header repeated at
    page breaks (which may split a cell), and some row numbers missing."""
    import random

    rng = random.Random(seed * 7919 + 13)
    text = doc.to_text()
    head, _, _ = text.partition("TT | Nội dung | Đơn vị thực hiện")
    head = head.replace("    ", " ")
    table = next(b for b in doc.body if isinstance(b, TaskTable))
    after = doc.to_text().split("\n".join(" | ".join(r) for r in table.rows), 1)[-1]
    out: list[str] = []
    header = (
        ["TT Nội dung Đơn vị thực hiện"]
        if rng.random() < 0.5
        else ["TT", "", "Nội dung", "", "Đơn vị thực hiện"]
    )
    out += header + [""]
    page_used = len(head.splitlines()) % page_lines
    fresh_page = False

    def emit(lines: list[str]) -> None:
        nonlocal page_used, fresh_page
        for ln in lines:
            if page_used >= page_lines and ln:
                out.extend(["", "", *header, ""])
                page_used = 0
                fresh_page = True
            out.append(ln)
            page_used += 1

    for row in table.rows:
        if len(row) == 1:
            emit([row[0].replace(" ", "") if rng.random() < 0.2 else row[0], ""])
            continue
        tt, content, resp = row
        if rng.random() < 0.05:
            emit([f"{tt} | {content} | {resp}", ""])
            fresh_page = False
            continue
        c_lines, r_lines = _wrap(content, rng.randint(30, 40)), _wrap(resp, rng.randint(30, 40))
        drop = rng.random() < (0.5 if fresh_page else 0.1)
        fresh_page = False
        blocks = [r_lines, c_lines] if rng.random() < 0.08 else [c_lines, r_lines]
        emit(([] if drop else [tt, ""]) + blocks[0] + [""] + blocks[1] + [""])
    return head + "\n".join(out) + after


# Rough printed widths (in average characters) of a proportional font: narrow and wide letters make
# the character count of a full printed line vary, as it does in OCR text of a real table.
_NARROW = set("iIlìíỉĩịjft.,;:'()!|/-1 ")
_WIDE = set("mwMWĐÔƠƯ")


def _print_width(s: str) -> float:
    return sum(0.6 if c in _NARROW else 1.4 if c in _WIDE or c.isupper() else 1.0 for c in s)


def _wrap_printed(text: str, width: float) -> list[str]:
    return _wrap(text, width, _print_width)


def flattened_text(doc: PlanDoc, seed: int = 0, *, page_lines: int = 46) -> str:
    """The document as a plain OCR text export reads a bordered task table: each printed line holds
    the content column and the unit column side by side, with no separator (column borders read as
    `|` or `__|` now and then, also after the row number), the row number on the row's first line,
    quarter markers on their own lines (sometimes glued or title case), and the table header repeated
    at page breaks (between rows)."""
    import random

    rng = random.Random(seed * 104729 + 7)
    text = doc.to_text()
    head, _, _ = text.partition("TT | Nội dung | Đơn vị thực hiện")
    head = head.replace("    ", " ")
    table = next(b for b in doc.body if isinstance(b, TaskTable))
    after = text.split("\n".join(" | ".join(r) for r in table.rows), 1)[-1]
    wc, wu = rng.uniform(34, 46), rng.uniform(24, 34)
    header = "TT Nội dung Đơn vị thực hiện"
    out = [header]
    used = len(head.splitlines()) % page_lines

    def sep() -> str:
        r = rng.random()
        return " | " if r < 0.08 else "__| " if r < 0.12 else " "

    for row in table.rows:
        if len(row) == 1:
            p = row[0]
            r = rng.random()
            out.append(p.replace(" ", "") if r < 0.15 else p.replace("QUÝ", "Quý") if r < 0.3 else p)
            used += 1
            continue
        tt, content, resp = row
        c_lines, u_lines = _wrap_printed(content, wc), _wrap_printed(resp, wu)
        n = max(len(c_lines), len(u_lines))
        if used + n > page_lines:
            out += ["", "", header]
            used = 0
        c_lines += [""] * (n - len(c_lines))
        u_lines += [""] * (n - len(u_lines))
        for k, (c, u) in enumerate(zip(c_lines, u_lines, strict=True)):
            line = (c + sep() + u) if c and u else (c or u)
            if k == 0:
                line = f"{tt} |{line}" if rng.random() < 0.1 else f"{tt} {line}"
            out.append(line)
        used += n
    return head + "\n".join(out) + "\n" + after
