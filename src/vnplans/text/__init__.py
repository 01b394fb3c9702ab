"""Vietnamese text engine: syllables, tokens, language model, restoration and OCR repair."""

from .syllable import (
    Syllable,
    Tone,
    analyze,
    fold,
    get_tone,
    is_valid_syllable,
    nfc,
    normalize_tone_placement,
    strip_diacritics,
    strip_tone,
    transfer_case,
)
from .tokens import Kind, Token, tokenize

__all__ = [
    "Kind",
    "Syllable",
    "Token",
    "Tone",
    "analyze",
    "fold",
    "get_tone",
    "is_valid_syllable",
    "nfc",
    "normalize_tone_placement",
    "strip_diacritics",
    "strip_tone",
    "tokenize",
    "transfer_case",
]
