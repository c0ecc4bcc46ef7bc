"""统一社会信用代码 (unified social credit code) check character, GB 32100-2015.

Why here: the register's firm key depends on it (a code whose check character fails is a typo, so the firm
is keyed by its name instead), and the synthetic sample must produce codes that pass, plus a few that do not.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must all be in ``ALPHABET``)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: object) -> bool:
    """True when ``code`` has 18 characters of the alphabet and its check character holds."""
    if not isinstance(code, str):
        return False
    code = code.strip().upper()
    if len(code) != 18 or any(ch not in _VALUE for ch in code):
        return False
    return check_character(code[:17]) == code[17]
