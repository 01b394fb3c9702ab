"""The HTML review page and the batch index, opened in a real headless Chromium.

A degraded scan goes through the batch with `--format html`; Chromium loads the page (images inline),
a DOM query checks that every low-confidence word has its box, inside its page image, and a
screenshot shows the red boxes. Needs Debian's `chromium` (installed by the Makefile).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from vnplans.batch import run_batch
from vnplans.export.review import render_review
from vnplans.export.words import page_words
from vnplans.parse.taskprov import LOW_WORD_CONFIDENCE
from vnplans.pipeline import process_document
from vnplans.synth.degrade import degrade
from vnplans.synth.render import render_page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,  # batch runs and Chromium: `make check` leaves them out
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (make install)"),
]

LINES = [
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "Số: 27/KH-UBND",
    "KẾ HOẠCH",
    "Triển khai công tác cải cách hành chính năm 2024",
    "Các sở, ban, ngành chủ động thực hiện và báo cáo kết quả về Sở Nội vụ trước ngày 15 tháng 12.",
]

# run in the page after load: where each box is against its page image, written into the DOM
_PROBE = """<script>
window.addEventListener('load', () => {
  const out = [];
  for (const fig of document.querySelectorAll('figure.page')) {
    const img = fig.querySelector('img').getBoundingClientRect();
    for (const b of fig.querySelectorAll('.box')) {
      const r = b.getBoundingClientRect();
      out.push({cls: b.className, w: b.dataset.word, inside: r.left >= img.left - 1 && r.right <= img.right + 1
        && r.top >= img.top - 1 && r.bottom <= img.bottom + 1, width: r.width, height: r.height});
    }
    out.push({img: true, natural: fig.querySelector('img').naturalWidth, shown: img.width});
  }
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(*args: str) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("review")
    src = tmp / "in"
    src.mkdir()
    page = render_page(LINES, dpi=200, page_mm=(210, 120), margins_mm=(12, 10, 20, 15)).image.convert("L")
    scan = degrade(page, seed=3, level="heavy")
    scan = scan if isinstance(scan, Image.Image) else Image.fromarray(np.asarray(scan))
    scan.convert("L").save(src / "scan.png", dpi=(200, 200))
    (src / "empty.txt").write_bytes(b"")  # fails: the index must show it
    out = tmp / "out"
    assert run_batch([str(src)], out, jobs=1, formats="json,html", quiet=True) == 1
    return src, out


def test_review_page_boxes_every_low_confidence_word(batch) -> None:
    src, out = batch
    review = out / "scan.html"
    text = review.read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org", "") and 'src="data:image/jpeg;base64,' in text
    words = [w for p in page_words(process_document(src / "scan.png")) for w in p.words]
    low = [w for w in words if min(w.ocr_conf / 100, w.correction_conf or 1.0) < LOW_WORD_CONFIDENCE]
    assert low  # a heavily degraded page has doubtful words

    probe = review.with_name("probe.html")
    probe.write_text(text.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    r = _chromium("--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    assert r.returncode == 0, r.stderr[-500:]
    data = json.loads(
        re.search(r'<pre id="probe">(.*?)</pre>', r.stdout, re.S).group(1).replace("&quot;", '"')
    )
    boxes = [d for d in data if "cls" in d]
    images = [d for d in data if d.get("img")]
    assert len(images) == 1 and images[0]["natural"] > 0 and images[0]["shown"] > 300  # the scan is shown
    low_boxes = [b for b in boxes if "low" in b["cls"]]
    assert len(low_boxes) == len(low)
    assert sorted(b["w"] for b in low_boxes) == sorted(w.text for w in low)
    assert all(b["inside"] and b["width"] > 0 and b["height"] > 0 for b in boxes)

    shot = out / "shot.png"
    r = _chromium("--window-size=1400,1000", f"--screenshot={shot}", review.as_uri())
    assert r.returncode == 0 and shot.is_file()
    px = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    red = (px[:, :, 0] > 180) & (px[:, :, 1] < 60) & (px[:, :, 2] < 60)  # box borders (#d00) on a gray page
    assert red.sum() > 20
    assert px.std() > 20  # not a blank render


def test_review_lists_warnings_record_and_tasks() -> None:
    """Without images (a text input): the record, its doubtful fields and warnings still stand."""
    from vnplans.pipeline import convert_text

    record = convert_text("\n".join([*LINES[:2], "Sở'Từphäp chỳơi 4 Họ /4) Nội", *LINES[2:]]), name="x.txt")
    record.header.authority = "Sở'Từphäp chỳơi 4 Họ /4) Nội"  # what OCR noise in a header looks like
    page = render_review(record, None, name="x.txt")
    assert "Cần kiểm tra" in page and 'data-field="authority"' in page
    assert re.search(r'<tr class="doubt" data-field="authority">', page)
    for w in record.quality.warnings:
        assert w.message.replace("'", "&#x27;").replace('"', "&quot;") in page


def test_index_links_each_review_page_with_status(batch) -> None:
    _, out = batch
    r = _chromium("--dump-dom", (out / "index.html").as_uri())
    assert r.returncode == 0
    rows = dict(re.findall(r'<tr data-name="([^"]+)" data-status="([^"]+)">', r.stdout))
    assert rows == {"scan": "ok", "empty": "failed"}
    assert '<a href="scan.html">scan</a>' in r.stdout and 'href="empty.html"' not in r.stdout
    assert "file is empty" in r.stdout
