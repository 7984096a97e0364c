"""Text that must never reach a terminal raw, and how to show it safely.

Text from a roadmap or progress file is data: control characters (ESC starts every terminal
escape sequence), bidirectional overrides ("Trojan Source") and stray line breaks are refused
by validation and, wherever text is shown, written as visible escapes such as \\x1b.
"""

from __future__ import annotations

import re

# The control characters (Unicode category Cc: C0, DEL and C1) but the newline, and the
# bidirectional embeddings, overrides and isolates, which can make text read differently from
# what it is ("Trojan Source"). Line breaks are unsafe too where text must be one line.
_UNSAFE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE_IN_PROSE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE}\n\u2028\u2029]")  # and line breaks


def unsafe_chars(text: str, *, allow_newlines: bool) -> list[str]:
    """Return the characters in `text` that must never reach a terminal.

    Those are control characters (C0, DEL, C1: ESC starts every terminal escape sequence),
    bidirectional overrides, and line breaks unless `allow_newlines`.
    """
    return (_UNSAFE_IN_PROSE if allow_newlines else _UNSAFE_IN_LINE).findall(text)


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
