"""markdown-it set up for import: caps on what a Markdown file may make and cost, and the
fast reading of inline text that makes parsing linear and cheap on anything.

markdown-it-py's own parse is linear, but slow on some shapes: it tries every inline rule at
every character that could start one, and looks for the end of a link's text and destination
character by character. `_inline` reads as markdown-it does, trying only the rules that can
start at a character, and takes runs of plain text at once; the lookahead that is left is
counted and capped, and so are the elements made.
"""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace
from typing import Any

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers.parse_link_destination import _Result as _DestinationResult
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

# The most elements (markdown-it's tokens: blocks, list items, table cells, links, emphasis
# and runs of text) a Markdown file may make: each costs some 500 bytes and 5 to 10 µs until
# the import is done. A 1 MB README makes about 85,000, the largest real documents tried some
# 110 a kB; 1 MiB of table cells or emphasis could make millions, so parsing stops at this many
# (in about 0.8 s).
MAX_MARKDOWN_ELEMENTS = 150_000
# The most steps markdown-it may take looking ahead for the end of a link's text (one a run of
# text or an element in it, however often it is looked at): real documents take at most 0.04 a
# byte (16,500 for the 900 kB of Rust's release notes); thousands of "[" that a "](...)" or a
# reference at the end could close take 20 each, some 1.5 µs a step.
MAX_LINK_LOOKAHEAD = 300_000
# The most lines that look mis-encoded ("itâ€™s") repaired (by ftfy, some 25 µs a line): a
# 1 MB README has some 11,000 lines in all; 50,000 short lines of mojibake took 1.3 s, and
# 15,000 of 50 bytes take 0.65 s.
MAX_REPAIRED_LINES = 15_000


class _TooManyElements(Exception):
    """Parsing stops: past MAX_MARKDOWN_ELEMENTS, MAX_LINK_LOOKAHEAD (`lookahead`), or
    MAX_REPAIRED_LINES (`repair`, before parsing)."""

    def __init__(self, line: int, *, lookahead: bool = False, repair: bool = False) -> None:
        super().__init__(line)
        self.line = line  # 1-based: where parsing stopped
        self.lookahead = lookahead
        self.repair = repair

    def message(self, shown: str) -> str:
        """The one-paragraph refusal, for the file named `shown` (escaped already)."""
        if self.repair:
            return (
                f"{shown}:{self.line}: more than {MAX_REPAIRED_LINES:,} lines look mis-encoded "
                "(UTF-8 once read as Windows-1252, as in 'itâ€™s'), more than import repairs in "
                "one file; nothing was written. Save the original as UTF-8 again, or split the "
                "file and import each part."
            )
        if self.lookahead:
            return (
                f"{shown}:{self.line}: markdown-it would take too long to read the links here: "
                f"more than {MAX_LINK_LOOKAHEAD:,} steps looking for where a link's text ends, "
                "as with thousands of '[' that are not links; nothing was written. Write those "
                "as '\\[', or split the file and import each part."
            )
        return (
            f"{shown}:{self.line}: the Markdown makes more than {MAX_MARKDOWN_ELEMENTS:,} "
            "elements by this line (list items, table cells, links, emphasis and the like), "
            "more than import takes on; nothing was written. Split it into smaller files and "
            "import each."
        )


class _Parse:
    """What the rules added to markdown-it keep of one parse."""

    __slots__ = ("counted", "left", "line", "lookahead", "rules", "scan")

    def __init__(self) -> None:
        self.left = MAX_MARKDOWN_ELEMENTS  # elements that may still be made
        self.lookahead = MAX_LINK_LOOKAHEAD  # steps of lookahead for links' ends still allowed
        self.counted: dict[int, int] = {}  # id of a list of inline tokens -> length counted
        self.line = 1  # of the block whose inline content is parsed
        self.rules: _Rules | None = None
        self.scan: _Scan | None = None


_current = threading.local()  # the _Parse under way in this thread (for _link_destination)


def _core_start(state: StateCore) -> None:
    """Before anything: the counts of this parse start."""
    state.env["import"] = _current.parse = _Parse()


def _core_end(state: StateCore) -> None:
    """After everything: nothing of the parse is kept (the scan holds the last block's tokens)."""
    state.env["import"].scan = None
    _current.parse = None


def _block_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block rule that matches nothing and stops parsing past MAX_MARKDOWN_ELEMENTS.

    It runs before every block, and as a terminator for every line of paragraphs, lists,
    tables and quotes, so no block grows far beyond the count unseen.
    """
    if len(state.tokens) > MAX_MARKDOWN_ELEMENTS:
        raise _TooManyElements(start + 1)
    if state.env["import"].lookahead < 0:  # in references
        raise _TooManyElements(start + 1, lookahead=True)
    return False


def _core_guard(state: StateCore) -> None:
    """After the blocks: what is left of MAX_MARKDOWN_ELEMENTS for the inline elements."""
    parse: _Parse = state.env["import"]
    parse.left -= len(state.tokens)
    rules = state.md.inline.ruler.getRules("")
    parse.rules = _RULES.get(id(rules)) or _RULES.setdefault(id(rules), _Rules(state.md))
    if parse.left < 0:  # the line of the element past the cap
        over = state.tokens[: MAX_MARKDOWN_ELEMENTS + 1]
        raise _TooManyElements(next((t.map[0] + 1 for t in reversed(over) if t.map), 1))


def _core_inline(state: StateCore) -> None:
    """markdown-it's "inline" rule, which parses the inline content of every block, keeping
    the block's line for the messages of `_TooManyElements`."""
    env, parse = state.env, state.md.inline.parse
    ours: _Parse = env["import"]
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if token.map:
                ours.line = token.map[0] + 1
            parse(token.content, state.md, env, token.children)


def _stop(state: StateInline, *, lookahead: bool = False) -> _TooManyElements:
    state.env["import"].scan = None
    _current.parse = None
    line = state.env["import"].line + state.src.count("\n", 0, state.pos)
    return _TooManyElements(line, lookahead=lookahead)


class _Inline(ParserInline):
    """markdown-it's inline parser, counting the steps of lookahead for a link's end."""

    def skipToken(self, state: StateInline) -> None:
        parse: _Parse = state.env["import"]
        parse.lookahead -= 1
        if parse.lookahead < 0:
            raise _stop(state, lookahead=True)
        super().skipToken(state)


def _inline_guard(state: StateInline, silent: bool) -> bool:
    """The first inline rule: counts the inline elements as they are made, then reads what is
    at the position itself (see `_inline`)."""
    parse: _Parse = state.env["import"]
    tokens = state.tokens
    grown = len(tokens) - parse.counted.get(id(tokens), 0)
    if grown > 0:
        parse.counted[id(tokens)] = len(tokens)
        parse.left -= grown
        if parse.left < 0:
            raise _stop(state)
    if parse.lookahead < 0:
        raise _stop(state, lookahead=True)
    return _inline(state, silent, parse)


# Where each of markdown-it's inline rules can start: any other character is plain text to
# all of them ("text" takes runs of those). A rule not named here turns `_inline` off.
_RULE_STARTS = {
    "text": "",
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
# Starts that are plain text by what follows them: "!" not before "[" (an image), "&" not
# before "#" or a letter (an entity), "<" not before what an autolink or a tag starts with.
_PLAIN_BY_NEXT = {
    "!": r"!(?!\[)",
    "&": r"&(?![#A-Za-z])",
    "<": r"<(?![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])",
}
# Starts that are plain text where what they need further on is missing: "[" and "![" (a link
# needs "](" and then ")", or references), "<" (">" ends autolinks and tags), "&" (";").
_CONDITIONAL = "[!<&"


class _Rules:
    """markdown-it's inline rules (of one parser) by the character they start at, and the
    patterns of runs of plain text, by which of the `_CONDITIONAL` starts are plain text."""

    def __init__(self, md: MarkdownIt) -> None:
        self.rules = md.inline.ruler.getRules("")  # kept: its id is the key of this
        names = [
            r.name for r in md.inline.ruler.__rules__ if r.enabled and r.name != "import_guard"
        ]
        fns = {r.name: r.fn for r in md.inline.ruler.__rules__}
        self.known = all(name in _RULE_STARTS for name in names)
        self.by_char: dict[str, list[Any]] = {}
        for name in names if self.known else ():
            for char in _RULE_STARTS[name]:
                self.by_char.setdefault(char, []).append(fns[name])
        starts = set(self.by_char)
        self.patterns: dict[str, re.Pattern[str]] = {}
        for n in range(16):
            plain = "".join(c for i, c in enumerate(_CONDITIONAL) if n >> i & 1)
            stop = "".join(sorted(starts - set(plain)))
            either = [f"[^{re.escape(stop)}]"] if stop else ["."]
            either += [_PLAIN_BY_NEXT[c] for c in stop if c in _PLAIN_BY_NEXT]
            # Each alternative takes one character, none the start of another: a plain "+"
            # never backtracks here. (Not "++": possessive repeats of an alternation give
            # wrong matches before Python 3.11.3, gh-101955.)
            self.patterns[plain] = re.compile(f"(?:{'|'.join(either)})+", re.S)


_RULES: dict[int, _Rules] = {}


class _Scan:
    """What `_inline` knows of one inline source (a paragraph, heading, cell): where the
    characters that close links, tags and entities last occur, and the next "](" found."""

    __slots__ = ("after", "append", "gt", "gt_after", "last", "link_close", "refs", "state")

    def __init__(self, state: StateInline) -> None:
        self.state = state
        self.append = getattr(state, "append_pending", None)  # markdown-it-py 4
        src = state.src
        self.last = {c: src.rfind(c) for c in "])>;"}
        self.refs = bool(state.env.get("references"))
        self.after = len(src) + 1  # the first "](" at or after this position is link_close
        self.link_close = -1
        self.gt_after = len(src) + 1  # the first ">" at or after this position is gt
        self.gt = -1

    def plain(self, pos: int) -> str:
        """Which of the `_CONDITIONAL` starts are plain text at `pos` and after."""
        plain = "" if self._links_possible(pos) else "[!"
        if self.last[">"] < pos:
            plain += "<"
        if self.last[";"] < pos:
            plain += "&"
        return plain

    def no_tag(self, pos: int) -> bool:
        """Whether the "<" at `pos` cannot start an autolink or a tag: before a letter or "/",
        another "<" comes first than any ">", with no quote between (only a quoted value of an
        attribute may hold a "<"; an autolink may not)."""
        src = self.state.src
        after = src[pos + 1 : pos + 2]
        if not (after == "/" or (after.isascii() and after.isalpha())):
            return False
        if not self.gt_after <= pos <= (self.gt if self.gt >= 0 else pos):
            self.gt_after = pos
            self.gt = src.find(">", pos)
        lt = src.find("<", pos + 1)
        if lt < 0 or 0 <= self.gt < lt:
            return False
        return src.find('"', pos, lt) < 0 and src.find("'", pos, lt) < 0

    def _links_possible(self, pos: int) -> bool:
        """Whether a link or image could start at `pos` or after (it may still fail)."""
        if self.last["]"] < pos:
            return False
        if self.refs:
            return True
        if not self.after <= pos <= (self.link_close if self.link_close >= 0 else pos):
            self.after = pos
            self.link_close = self.state.src.find("](", pos)
        return 0 <= self.link_close < self.last[")"]


def _inline(state: StateInline, silent: bool, parse: _Parse) -> bool:
    """Read what is at `state.pos` as markdown-it would, trying only the rules that can start
    at its character, and taking a run of plain text at once.

    markdown-it tries every rule at every character that is not plain text, and at every "["
    looks for the end of a link's label to the end of the paragraph: some 10 µs a character,
    10 s for 1 MiB of unclosed "[". Here the rules that cannot start at a character are not
    tried, and where the rest of the paragraph has nothing that could close a link ("](" with a
    ")" after it, or "]" when there are references), a tag (">") or an entity (";"), "[", "<"
    and "&" are plain text. In a lookahead (`silent`) one character is read, as markdown-it
    does. Returns False, leaving the work to markdown-it's loop, for a rule it does not know.
    """
    rules = parse.rules
    if rules is None or not rules.known:
        return False
    src, pos = state.src, state.pos
    scan = parse.scan
    if scan is None or scan.state is not state:
        scan = parse.scan = _Scan(state)
    plain = scan.plain(pos)
    char = src[pos]
    tries = char not in plain and not (char == "<" and scan.no_tag(pos))
    if silent:
        if char not in rules.by_char:
            return False  # "text", or no rule at all: markdown-it's own loop, as cheap
        if tries:
            for rule in rules.by_char[char]:
                if rule(state, True):
                    return True
        state.pos = pos + 1
        return True
    pattern = rules.patterns[plain]
    found = pattern.match(src, pos, state.posMax)
    if found is None:
        for rule in rules.by_char[char] if tries else ():
            if rule(state, False):
                return True
        # No rule took it: plain text, as markdown-it does, and the plain run after it.
        found = pattern.match(src, pos + 1, state.posMax)
        end = found.end() if found else pos + 1
    else:
        end = found.end()
    # Then the next "<" that cannot start a tag, and the run after it, and so on: a run of
    # "<a<a<a" is read in one go.
    while end < state.posMax and src[end] == "<" and "<" not in plain and scan.no_tag(end):
        found = pattern.match(src, end + 1, state.posMax)
        end = found.end() if found else end + 1
    if scan.append is not None:
        scan.append(src[pos:end])
    else:  # markdown-it-py 3
        state.pending += src[pos:end]
    state.pos = end
    return True


# What ends a run in a link's destination: in <...>, a newline, "<", ">" or "\"; else a space or
# control character, "\", "(" or ")".
_ANGLED_STOP = re.compile(r"[\n<>\\]")
_BARE_STOP = re.compile(r"[\x00-\x20\x7f\\()]")


def _link_destination(string: str, pos: int, maximum: int) -> Any:
    """markdown-it's parseLinkDestination, reading runs of plain characters at once.

    markdown-it's reads a character at a time, up to 32 "(" deep: where every link's
    destination runs on into the next ones ("[a](b" a thousand times, then ")") that is some
    16 µs a link. Each run read here is a step of MAX_LINK_LOOKAHEAD.
    """
    result = _DestinationResult()
    parse: _Parse | None = getattr(_current, "parse", None)
    steps = 0
    start = pos
    try:
        if pos < len(string) and string[pos] == "<":
            pos += 1
            while pos < maximum:
                steps += 1
                found = _ANGLED_STOP.search(string, pos, maximum)
                if found is None:
                    return result  # no closing ">"
                pos = found.start()
                char = string[pos]
                if char == ">":
                    result.pos = pos + 1
                    result.str = unescapeAll(string[start + 1 : pos])
                    result.ok = True
                    return result
                if char != "\\":
                    return result  # a newline or "<"
                pos += 2 if pos + 1 < maximum else 1
            return result
        level = 0
        while pos < maximum:
            steps += 1
            found = _BARE_STOP.search(string, pos, maximum)
            if found is None:
                pos = maximum
                break
            pos = found.start()
            char = string[pos]
            if char == "\\":
                if pos + 1 < maximum:
                    if string[pos + 1] == " ":
                        break
                    pos += 2
                else:
                    pos += 1
                continue
            if char == "(":
                level += 1
                if level > 32:
                    return result
            elif char == ")":
                if level == 0:
                    break
                level -= 1
            else:
                break  # a space or control character
            pos += 1
        if start == pos or level != 0:
            return result
        result.str = unescapeAll(string[start:pos])
        result.pos = pos
        result.ok = True
        return result
    finally:
        if parse is not None:
            parse.lookahead -= steps


_MD = MarkdownIt("commonmark").enable("table")
_MD.block.ruler.before(
    "table", "import_guard", _block_guard, {"alt": ["paragraph", "reference", "blockquote", "list"]}
)
_MD.core.ruler.before("normalize", "import_start", _core_start)
_MD.core.ruler.after("block", "import_guard", _core_guard)
_MD.core.ruler.at("inline", _core_inline)
_MD.core.ruler.push("import_end", _core_end)
_MD.inline.ruler.before("text", "import_guard", _inline_guard)
_MD.inline.__class__ = _Inline
_MD.helpers = SimpleNamespace(  # type: ignore[assignment]  # ours alone, not the module's
    parseLinkLabel=helpers.parseLinkLabel,
    parseLinkDestination=_link_destination,
    parseLinkTitle=helpers.parseLinkTitle,
)
