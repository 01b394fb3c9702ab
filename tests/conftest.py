"""Shared test settings: property tests never fail on a slow shared machine, CI runs are repeatable,
and the unpacked language model goes to a folder of the test run's, not the user's cache."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import settings

# set before any test (or worker process it starts) loads the model; removed when the run ends
if "VNPLANS_CACHE_DIR" not in os.environ:
    os.environ["VNPLANS_CACHE_DIR"] = _cache = tempfile.mkdtemp(prefix="vnplans-test-cache-")
    atexit.register(shutil.rmtree, _cache, True)

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
