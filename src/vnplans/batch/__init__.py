"""Batch conversion of whole archives: `run_batch` backs `vnplans convert`, `convert_many` is the library API.

Modules: discover (inputs -> unique names), worker (one document -> output bytes, or one page range ->
page results), pages (multi-page scans as page tasks, gathered back into documents), pool
(crash-isolating process pool), cluster (Dask), manifest (resume journal), outputs (files, lock, tasks.csv), report
(progress, JSON logs), run (orchestration).
"""

from .run import EXIT_FAILED, EXIT_OK, BatchResult, convert_many, run_batch

__all__ = ["run_batch", "convert_many", "BatchResult", "EXIT_OK", "EXIT_FAILED"]
