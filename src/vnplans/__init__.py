"""vnplans: degraded Vietnamese administrative documents in, faithful text and validated records out."""

__version__ = "0.1.0"
