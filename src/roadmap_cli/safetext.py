"""Text that must never reach a terminal raw, and how to show it safely.

Text from a roadmap or progress file is data: control characters (ESC starts every terminal
escape sequence), bidirectional overrides ("Trojan Source") and stray line breaks are refused
by validation and, wherever text is shown, written as visible escapes such as \\x1b. A line of
text (a title, an id, a URL) may not hold invisible characters either: a zero-width space or
joiner would make two titles or ids that look the same differ. And a link whose host mixes
scripts ("apple.com" with a Cyrillic a, U+0430) is shown in its ASCII form, which gives it away.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# The control characters (Unicode category Cc: C0, DEL and C1) but the newline, and the
# bidirectional embeddings, overrides and isolates, which can make text read differently from
# what it is ("Trojan Source"). Line breaks are unsafe too where text must be one line.
_UNSAFE = "\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
# Characters that show as nothing: the format characters (Unicode category Cf, as of Unicode
# 15.1: soft hyphen, zero-width space, non-joiner and joiner, left-to-right and right-to-left
# marks, word joiner, invisible operators, BOM, interlinear annotation, tag characters, ...) and
# the Hangul fillers, which are letters but blank. Prose may hold the joiners (Persian needs the
# non-joiner, emoji sequences the joiner); a single line of text (a title, an id) may not.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
    "\u115f\u1160\u3164\uffa0"
)
_UNSAFE_IN_PROSE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE}{_INVISIBLE}\n\u2028\u2029]")  # and line breaks


def unsafe_chars(text: str, *, allow_newlines: bool) -> list[str]:
    """Return the characters in `text` that must never reach a terminal.

    Those are control characters (C0, DEL, C1: ESC starts every terminal escape sequence) and
    bidirectional overrides; unless `allow_newlines` (one line of text: a title, an id, a URL),
    also line breaks and invisible characters (zero-width spaces and joiners, BOM, Hangul
    fillers, every format character).
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


def display_url(url: str) -> str:
    """Return `url` as it is safe to show: escaped, its host in ASCII if it mixes scripts.

    A host such as "apple.com" written with a Cyrillic a (U+0430) looks like apple.com but is
    another domain: it is shown in its IDNA form, "xn--pple-43d.com". A host whose every label
    is in one script ("пример.рф", "例え.テスト") stays as written, and so does the rest of the
    URL.
    """
    if url.isascii():
        return escape_unsafe(url)
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return escape_unsafe(url)
    if host.isascii() or not mixes_scripts(host):
        return escape_unsafe(url)
    ascii_host = ascii_hostname(host)
    start = url.find(host) if host else -1
    if start < 0:  # the host is written in capitals: urlsplit lowercased it
        start = url.lower().find(host)
    if start < 0:  # pragma: no cover - the host always stands in the URL
        return escape_unsafe(url)
    return escape_unsafe(url[:start] + ascii_host + url[start + len(host) :])


def ascii_hostname(host: str) -> str:
    """Return the ASCII (IDNA, punycode) form of a host name, label by label."""
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
        except UnicodeError:  # pragma: no cover - punycode encodes any string
            labels.append(label.encode("unicode_escape").decode("ascii"))
    return ".".join(labels)


def mixes_scripts(host: str) -> bool:
    """Whether one label of a host name mixes letters of more than one script.

    "apple.com" with a Cyrillic a (U+0430) among Latin letters does; "пример.рф", "пример.com" and
    "例え.jp" do not: each label is in one script. A letter's script is read from its Unicode
    name ("CYRILLIC SMALL LETTER A"); digits, hyphens and combining marks belong to none.
    Japanese counts as one script (Han, Hiragana, Katakana together), and so do Chinese with
    Bopomofo and Korean with Han. ASCII letters are Latin. A symbol or an emoji in a host
    counts as a script of its own: it has no business there.
    """
    return any(_mixed(label) for label in host.split("."))


_ONE_SCRIPT = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "BOPOMOFO"}),
    frozenset({"HAN", "HANGUL"}),
)


def _mixed(label: str) -> bool:
    scripts = {_script(ch) for ch in label}
    scripts.discard("")
    return len(scripts) > 1 and not any(scripts <= together for together in _ONE_SCRIPT)


def _script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    category = unicodedata.category(ch)
    if category[0] in "MN":  # a combining mark or a digit: no script of its own
        return ""
    name = unicodedata.name(ch, "")
    if category[0] != "L":
        return name or f"U+{ord(ch):04X}"  # a symbol in a host name: a trick of its own
    if name.startswith(("CJK ", "IDEOGRAPHIC ")):
        return "HAN"
    if "KATAKANA" in name:  # HALFWIDTH KATAKANA LETTER A
        return "KATAKANA"
    return name.split(" ", 1)[0]
