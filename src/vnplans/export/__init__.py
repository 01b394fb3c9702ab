"""Renderings of a converted document: Markdown and CSV rows (`markdown`), ALTO/hOCR/TSV word files
(`words`), the HTML review page (`review`), and the PDF/A searchable PDF on the original pixels
(`searchable`, `pdfa`). The heavy ones (pikepdf, reportlab) load only when their format is asked for.
"""

from .markdown import TASK_COLUMNS, render_summary, task_rows, to_markdown

__all__ = ["TASK_COLUMNS", "render_summary", "task_rows", "to_markdown"]
