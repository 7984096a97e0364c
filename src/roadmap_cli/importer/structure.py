"""Structure: headings nested into sections, what is not the path pruned from them (a table
of contents, Contributing, License...), the whole document read as one roadmap or the walk
that finds several among them and the overview before them; a roadmap's body is read by
body.py.

A heading that holds a list (or a table) of links is a roadmap. Under it, list items with a
bold lead and a nested list of links are its steps, a flat list of links its resources, and
deeper headings its steps. Whatever cannot be placed is reported with its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from roadmap_cli.importer.body import (
    _fill_roadmap,
    _prose,
    _report_links,
)
from roadmap_cli.importer.hours import _find_hours, _without_hours
from roadmap_cli.importer.inline import (
    _block_name,
    _has_link_list,
    _heading_text,
    _item_text,
    _line,
    _line_text,
    _pieces,
    _plain,
    _quote,
    _source_title,
)
from roadmap_cli.importer.items import (
    _has_step_items,
)
from roadmap_cli.importer.markdown import _LISTS, _Node
from roadmap_cli.importer.model import _Context, _Roadmap, _Section

_OVERVIEW = re.compile(
    r"\W*(overview|introduction|intro|about|background|preface|motivation|summary)\W*", re.I
)
_ROADMAP_WORD = re.compile(
    r"\b(roadmaps?|paths?|pathways?|tracks?|curriculum|syllabus)\b", re.IGNORECASE
)


# A table of contents: skipped silently. Sections that are not part of the path: skipped, and
# named once in the report. Titles are compared without emoji, punctuation or case.
_CONTENTS = {"contents", "table of contents", "toc"}
# A bold line longer than this is emphasis in the text, not a heading.
_MAX_BOLD_HEADING = 120
_NOT_THE_PATH = {
    "contributing",
    "contribute",
    "how to contribute",
    "contributors",
    "contribution",
    "contributions",
    "license",
    "licence",
    "licensing",
    "credits",
    "acknowledgements",
    "acknowledgments",
    "acknowledgement",
    "acknowledgment",
    "authors",
    "author",
    "team",
    "maintainers",
    "sponsors",
    "sponsor",
    "sponsorship",
    "support",
    "changelog",
    "change log",
    "code of conduct",
    "star history",
    "stargazers over time",
    "community",
    "getting help",
    "get help",
    "contact",
}


def _not_the_path(title: str) -> bool:
    """Whether a heading names sections that are not the path ("Credits & License")."""
    parts = re.split(r"&|,|/|\+|\band\b", title, flags=re.IGNORECASE)
    words = [_section_word(part) for part in parts]
    return all(word in _NOT_THE_PATH for word in words if word) and any(words)


def _section_word(title: str) -> str:
    """Return a title as compared with the lists above: lowercase words only."""
    return " ".join(re.sub(r"[\W_]+", " ", title).lower().split())


def _prune(ctx: _Context, blocks: list[_Node], sections: list[_Section]) -> list[_Section]:
    """Drop tables of contents and the sections that are not part of the path.

    A table of contents (a section so titled, or a list whose links all point to #anchors) goes
    silently; the others (Contributing, License...) are named once in `ctx.skipped`.
    """
    kept_blocks: list[_Node] = []
    for block in blocks:
        if not _is_contents_list(block):
            kept_blocks.append(block)
        elif kept_blocks and (
            _is_contents_title(kept_blocks[-1]) or _bold_text(kept_blocks[-1]) is not None
        ):
            kept_blocks.pop()  # "**Table of Contents**" or "**Deep Learning**" over it goes too
    blocks[:] = kept_blocks
    kept: list[_Section] = []
    for section in sections:
        word = _section_word(section.title)
        if word in _CONTENTS:
            continue
        if _not_the_path(section.title):
            name = re.sub(r"^[\W_]+|[\W_]+$", "", section.title) or section.title
            if all(_section_word(named) != word for named in ctx.skipped):
                ctx.skipped.append(name)
            continue
        section.children = _prune(ctx, section.blocks, section.children)
        kept.append(section)
    return kept


def _is_contents_title(block: _Node) -> bool:
    return block.type == "paragraph" and _section_word(_plain(block)) in _CONTENTS


def _is_contents_list(block: _Node) -> bool:
    """Whether a block is a list whose links all point to #anchors in the document, or a line
    of such links ("**Contents:** [Setup](#setup) · [Data](#data)")."""
    if block.type == "paragraph" and block.children:
        pieces = _pieces(block.children[0])  # an #anchor link is a piece with its url
        anchors = [p for p in pieces if p.url]
        label = _section_word(" ".join(p.text for p in pieces if not p.url))
        return bool(anchors) and all(p.url.startswith("#") for p in anchors) and label in _CONTENTS
    if block.type not in _LISTS:
        return False
    hrefs = [str(node.attrs.get("href", "")) for node in block.walk() if node.type == "link"]
    return bool(hrefs) and all(href.startswith("#") for href in hrefs)


def _sections(blocks: Sequence[_Node]) -> tuple[list[_Node], list[_Section]]:
    """Nest the blocks under their headings; return the blocks before any heading too.

    A paragraph of bold text alone over a list of links ("**Lecture 1: micrograd**") is read
    as the heading a reader takes it for, one level under the last real heading.
    """
    preamble: list[_Node] = []
    roots: list[_Section] = []
    stack: list[_Section] = []
    heading_level = 1
    for index, node in enumerate(blocks):
        title = _bold_heading(blocks, index)
        if node.type == "heading":
            heading_level = int(node.tag[1:])
            section = _Section(heading_level, _heading_text(node), _line(node))
        elif title is not None:
            section = _Section(heading_level + 1, title, _line(node))
        else:
            (stack[-1].blocks if stack else preamble).append(node)
            continue
        while stack and stack[-1].level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
    return preamble, roots


def _bold_heading(blocks: Sequence[_Node], index: int) -> str | None:
    """The title of a paragraph that is bold text alone, followed by a list of links before
    the next heading or such paragraph; else None."""
    title = _bold_text(blocks[index])
    if title is None:
        return None
    for after in blocks[index + 1 :]:
        if after.type == "heading" or _bold_text(after) is not None:
            return None
        if _has_link_list([after]):
            return title
    return None


def _bold_text(node: _Node) -> str | None:
    """The text of a paragraph that is bold text alone (a colon aside), if it is short."""
    if node.type != "paragraph" or not node.children:
        return None
    pieces = [p for p in _pieces(node.children[0]) if p.text.strip() not in ("", ":")]
    if len(pieces) != 1 or pieces[0].kind != "strong" or pieces[0].url:
        return None
    title = _line_text(pieces[0].text).rstrip(":").strip()
    return title if 0 < len(title) <= _MAX_BOLD_HEADING else None


def _several_paths(sections: list[_Section]) -> bool:
    """Whether a document holds several paths rather than being one roadmap.

    It does when a heading under its title names itself a roadmap or path, or states its own
    hours ("## Long Learning Roadmap (80–100+ hours)"); then each such heading is a roadmap.
    """
    title, below = _title_and_steps(sections)
    if title is not None and _OVERVIEW.fullmatch(title.title):
        return True  # an overview alone is no path: its links are reported as outside one
    return any(
        (_ROADMAP_WORD.search(s.title) or _find_hours(s.title)) and _links_below(s)
        for s in _flatten(below)
    )


def _title_and_steps(sections: list[_Section]) -> tuple[_Section | None, list[_Section]]:
    """Return a document's title heading (its only top heading, or its only H1) and the
    headings of its steps: those under it and any after it beside it."""
    tops = [s for s in sections if s.level == 1] if len(sections) > 1 else sections
    if len(tops) != 1:
        return None, sections
    title = tops[0]
    return title, [*title.children, *sections[sections.index(title) + 1 :]]


def _one_path(ctx: _Context, preamble: list[_Node], sections: list[_Section]) -> None:
    """Read a whole document as one roadmap: its title heading (or the file's name) titles it,
    its first paragraph is the summary, and its headings and bold leads are the steps."""
    title_section, step_sections = _title_and_steps(sections)
    for banner in sections[: sections.index(title_section)] if title_section else []:
        # A sponsor's heading above the title: not part of the path.
        ctx.problem(
            banner.line,
            f"the heading {_quote(banner.title)} is above the document's title, not part of "
            "the path; not imported",
        )
        _report_stray(ctx, banner)
    if title_section is not None:
        title, stated = _without_hours(title_section.title)
        line, blocks = title_section.line, [*preamble, *title_section.blocks]
    else:
        title, stated = _source_title(ctx.source), None
        line, blocks, step_sections = _line(preamble[0]) if preamble else 1, preamble, sections
    roadmap = _Roadmap(title, line, stated)
    _fill_roadmap(ctx, roadmap, blocks, step_sections, intro=True)
    ctx.roadmaps.append(roadmap)


def _read_preamble(ctx: _Context, blocks: list[_Node], *, has_headings: bool) -> None:
    """Read the text before the first heading: the overview, or a roadmap with no heading."""
    if not has_headings and _has_link_list(blocks):
        roadmap = _Roadmap(_source_title(ctx.source), _line(blocks[0]), None)
        _fill_roadmap(ctx, roadmap, blocks, [])
        ctx.roadmaps.append(roadmap)
        return
    _read_overview(ctx, blocks)


def _walk(ctx: _Context, section: _Section, *, is_guide: bool) -> None:
    """Find the roadmaps in a section and the sections under it."""
    steps = _children_are_steps(section)
    if _OVERVIEW.fullmatch(section.title) and not is_guide:
        _read_overview(ctx, section.blocks)
    elif steps or _has_link_list(section.blocks):
        title, stated = _without_hours(section.title)
        roadmap = _Roadmap(title, section.line, stated)
        _fill_roadmap(ctx, roadmap, section.blocks, section.children if steps else [])
        ctx.roadmaps.append(roadmap)
        if steps:
            return
    elif is_guide:
        _read_overview(ctx, section.blocks)
    else:
        _report_stray(ctx, section)
    if not section.blocks and not section.children:
        ctx.problem(section.line, f"the heading {_quote(section.title)} has nothing under it")
    for child in section.children:
        _walk(ctx, child, is_guide=False)


def _children_are_steps(section: _Section) -> bool:
    """Whether the deeper headings under this one are the steps of one roadmap.

    They are when each of them holds a plain list of links (no nested steps or headings) and
    this heading states hours, holds links itself, or calls itself a roadmap while they do not
    ("## Learning Roadmaps" over "### Long Roadmap (80 hours)" is a group of roadmaps).
    """
    kids = [kid for kid in section.children if _links_below(kid)]
    if not kids or _OVERVIEW.fullmatch(section.title):
        return False
    if any(_has_step_items(k.blocks) or any(_links_below(g) for g in k.children) for k in kids):
        # Deeper steps ("## Curriculum" > "### Core CS" > "#### Core math"): one roadmap when
        # this heading calls itself one and no heading under it does or states hours.
        return bool(_ROADMAP_WORD.search(section.title)) and not any(
            (_ROADMAP_WORD.search(d.title) or _find_hours(d.title)) and _links_below(d)
            for d in _flatten(section.children)
        )
    if _find_hours(section.title) is not None:
        return True
    kids_look_like_roadmaps = any(_ROADMAP_WORD.search(k.title) for k in kids)
    if _has_link_list(section.blocks):
        return not kids_look_like_roadmaps
    return bool(_ROADMAP_WORD.search(section.title)) and not (
        kids_look_like_roadmaps or any(_find_hours(k.title) for k in kids)
    )


def _links_below(section: _Section) -> bool:
    return _has_link_list(section.blocks) or any(_links_below(k) for k in section.children)


def _flatten(sections: list[_Section]) -> Iterator[_Section]:
    for section in sections:
        yield section
        yield from _flatten(section.children)


def _read_overview(ctx: _Context, blocks: list[_Node]) -> None:
    """Add the prose of blocks to the guide's overview; links there belong to no roadmap."""
    for block in blocks:
        if block.type in ("paragraph", "blockquote"):
            ctx.overview.extend(_prose(ctx, block))
        elif block.type in _LISTS and not _has_link_list([block]):
            ctx.overview.append("\n".join(f"- {_item_text(item)}" for item in block.children))
        elif _report_links(ctx, block, "is not under a roadmap heading"):
            continue
        elif block.type not in ("hr", "html_block"):
            ctx.problem(_line(block), f"a {_block_name(block)} outside any roadmap; not imported")


def _report_stray(ctx: _Context, section: _Section) -> None:
    """Report the blocks under a heading that is neither a roadmap nor the overview."""
    prose = False
    for block in section.blocks:
        if _report_links(ctx, block, "is outside any roadmap"):
            continue
        prose = prose or block.type not in ("hr", "html_block")
    if prose:
        ctx.problem(
            _line(section.blocks[0]),
            f"the text under {_quote(section.title)} holds no list of links and is not part "
            "of a roadmap; not imported",
        )
