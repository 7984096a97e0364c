"""Text that must never reach a terminal raw, and how to show it safely.

Text from a roadmap or progress file is data: control characters (ESC starts every terminal
escape sequence), bidirectional overrides ("Trojan Source") and stray line breaks are refused
by validation and, wherever text is shown, written as visible escapes such as \\x1b.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides and isolates: they can make text read differently
# from what it is ("Trojan Source").
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = {"\n", "\u2028", "\u2029"}


def unsafe_chars(text: str, *, allow_newlines: bool) -> list[str]:
    """Return the characters in `text` that must never reach a terminal.

    Those are control characters (C0, DEL, C1: ESC starts every terminal escape sequence),
    bidirectional overrides, and line breaks unless `allow_newlines`.
    """
    return [
        ch
        for ch in text
        if (ch in _LINE_BREAKS and not allow_newlines)
        or (unicodedata.category(ch) == "Cc" and ch != "\n")
        or ch in _BIDI
    ]


def escape_unsafe(text: str, *, allow_newlines: bool = False) -> str:
    """Return `text` with each unsafe character written as a visible escape, e.g. \\x1b."""
    bad = set(unsafe_chars(text, allow_newlines=allow_newlines))
    if not bad:
        return text
    return "".join(ch.encode("unicode_escape").decode("ascii") if ch in bad else ch for ch in text)


def unsafe_codes(text: str, *, allow_newlines: bool) -> str:
    """Name the unsafe characters in `text` ("U+001B, U+202E"), or return "" if none."""
    bad = unsafe_chars(text, allow_newlines=allow_newlines)
    return ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad}))
