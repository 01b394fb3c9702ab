"""Batch throughput: documents per minute with 1 and 2 jobs, and vnplans' cost per page over raw Tesseract.

Documents: `samples/` when it holds any, else a generated set (plan texts plus rendered, lightly degraded
plan pages as PNG, cached under bench/work/batch/). Each configuration is a fresh `run_batch` (pool start
included, as a user sees it). The per-page comparison times the `tesseract` CLI (`-l vie`, one thread)
on the very image pages vnplans converts, against vnplans' in-worker seconds for those documents.

    python -m bench.run --only batch [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work" / "batch"
SET_VERSION = 1
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp")
UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp", "Văn phòng UBND thành phố", "Sở Y tế"]


def _plan(i: int):  # -> PlanDoc
    from vnplans.synth.plans import Paragraph, PlanDoc, TaskTable

    rows = [
        [str(k), f"Tổ chức triển khai nhiệm vụ số {k} của kế hoạch, hoàn thành trong tháng {k + 1}/2023",
         f"{UNITS[(i + k) % 5]} chủ trì, phối hợp {UNITS[(i + k + 1) % 5]}"]
        for k in range(1, 5)
    ]  # fmt: skip
    return PlanDoc(
        authority_lines=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"],
        motto_lines=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
        number_line=f"Số: {100 + i}/KH-UBND",
        place_date_line=f"Cần Thơ, ngày {i % 27 + 1} tháng {i % 12 + 1} năm 2022",
        doc_type="KẾ HOẠCH",
        title_lines=["Thực hiện công tác cải cách hành chính năm 2023"],
        body=[
            Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
            Paragraph("I. MỤC ĐÍCH, YÊU CẦU", bold=True, indent=False),
            Paragraph("Nâng cao hiệu quả hoạt động của các cơ quan hành chính nhà nước trên địa bàn."),
            Paragraph("II. NHIỆM VỤ CỤ THỂ", bold=True, indent=False),
            TaskTable(["TT", "Nội dung", "Đơn vị thực hiện"], rows),
        ],
        recipients_lines=["Nơi nhận:", "- Văn phòng Chính phủ;", "- Lưu: VT."],
        signature_lines=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn An"],
    )


def build_set(n_text: int, n_images: int, work: Path = WORK) -> Path:
    """Generated documents (cached): text exports and first pages rendered at 300 dpi, lightly degraded."""
    folder = work / f"docs_v{SET_VERSION}_{n_text}_{n_images}"
    if folder.is_dir() and len(list(folder.iterdir())) == n_text + n_images:
        return folder
    from vnplans.synth.degrade import degrade
    from vnplans.synth.document import render_document

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for i in range(n_text):
        (tmp / f"plan{i:03d}.txt").write_text(_plan(i).to_text(), encoding="utf-8")
    for i in range(n_images):
        page = render_document(_plan(1000 + i))[0]
        degrade(page.image, seed=i, level="light").save(tmp / f"scan{i:03d}.png", dpi=(300, 300))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def _documents(args: argparse.Namespace) -> tuple[Path, str]:
    samples = ROOT / "samples"
    if samples.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in samples.rglob("*")):
        return samples, "samples/"
    quick = getattr(args, "quick", False)
    return build_set(6 if quick else 12, 2 if quick else 4), "generated"


def _batch(src: Path, jobs: int) -> dict:
    from vnplans.batch import run_batch

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as out:
        t0 = time.perf_counter()
        code = run_batch([src], out, jobs=jobs, quiet=True, force=True)
        wall = time.perf_counter() - t0
        entries = [json.loads(x) for x in (Path(out) / "manifest.jsonl").read_text().splitlines()]
    ok = [e for e in entries if e["status"] == "ok"]
    return {
        "jobs": jobs,
        "exit_code": code,
        "documents": len(ok),
        "failed": sum(e["status"] == "failed" for e in entries),
        "pages": sum(e.get("pages") or 0 for e in ok),
        "wall_seconds": round(wall, 2),
        "documents_per_minute": round(len(ok) * 60 / wall, 2) if wall else 0.0,
        "entries": {e["path"]: e for e in ok},
    }


def _tesseract_seconds(pages: list[Path]) -> dict[str, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = {}
    for p in pages:
        t0 = time.perf_counter()
        subprocess.run(["tesseract", str(p), "-", "-l", "vie"], capture_output=True, check=True, env=env)
        out[str(p)] = time.perf_counter() - t0
    return out


def run(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    src, origin = _documents(args)
    one = _batch(src, 1)
    two = _batch(src, 2)
    result: dict = {"documents_from": origin, "runs": []}
    for r in (one, two):
        result["runs"].append({k: v for k, v in r.items() if k != "entries"})
    speedup = (
        two["documents_per_minute"] / one["documents_per_minute"] if one["documents_per_minute"] else 0.0
    )

    # per page: single-page image documents only, so one document = one page on both sides
    images = sorted(p for p in src.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
    per_page: dict = {"pages": 0}
    if images and shutil.which("tesseract"):
        tess = _tesseract_seconds(images)
        ours = {str(p): one["entries"][str(p)] for p in images if str(p) in one["entries"]}
        ours = {k: e for k, e in ours.items() if e.get("pages") == 1}
        if ours:
            t_tess = sum(tess[k] for k in ours) / len(ours)
            t_ours = sum(e["timings"]["total"] for e in ours.values()) / len(ours)
            stages: dict[str, float] = {}
            for e in ours.values():
                for k, v in e["timings"].items():
                    stages[k] = stages.get(k, 0.0) + v / len(ours)
            per_page = {
                "pages": len(ours),
                "tesseract_seconds_per_page": round(t_tess, 3),
                "vnplans_seconds_per_page": round(t_ours, 3),
                "ratio": round(t_ours / t_tess, 2),
                "vnplans_stage_seconds_per_page": {k: round(v, 3) for k, v in sorted(stages.items())},
            }
    result["per_page_vs_tesseract"] = per_page
    # what the batch layer itself adds per document in the coordinating process (atomic writes + manifest)
    writes = [e["timings"].get("write", 0.0) for e in one["entries"].values()]
    overhead = round(sum(writes) / len(writes), 4) if writes else None
    result["summary"] = {
        "documents": one["documents"],
        "docs_per_min_jobs1": one["documents_per_minute"],
        "docs_per_min_jobs2": two["documents_per_minute"],
        "speedup_jobs2": round(speedup, 2),
        "speedup_target": 1.8,
        "page_ratio_vs_tesseract": per_page.get("ratio"),
        "page_ratio_target": 1.2,
        "batch_write_seconds_per_doc": overhead,
        "cpu_count": os.cpu_count(),
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    return result


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    print(json.dumps(run(p.parse_args())["summary"], ensure_ascii=False, indent=2))
