"""vnplans errors: bad input (all ValueError, one clear message naming the file and the reason) and a
broken installation (`ModelNotFound`, deliberately not an OSError so no optional-file fallback hides it)."""

from __future__ import annotations

__all__ = [
    "ModelNotFound",
    "UsageError",
    "InputError",
    "CorruptInput",
    "EncryptedInput",
    "EmptyInput",
    "TooLargeInput",
    "UnsupportedInput",
]


class InputError(ValueError):
    """A document that cannot be read as given. `str(err)` is `<path>: <reason>`."""

    reason = "cannot be read"

    def __init__(self, path: object, detail: str | None = None):
        from .names import display

        self.path = (
            display(path) if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__") else str(path)
        )
        self.detail = detail or self.reason
        super().__init__(f"{self.path}: {self.detail}")


class CorruptInput(InputError):
    reason = "file is corrupt or truncated"


class EncryptedInput(InputError):
    reason = "PDF is encrypted (password protected)"


class EmptyInput(InputError):
    reason = "file is empty"


class TooLargeInput(InputError):
    reason = "file or image is too large (possible decompression bomb)"


class UnsupportedInput(InputError):
    reason = "unsupported file type"


class ModelNotFound(RuntimeError):
    """A model or dictionary the package needs is not installed: an error, never uncorrected output."""


class UsageError(ValueError):
    """The command was asked for something that cannot be done as given (exit code 2, not 1)."""
