"""Parsing Markdown into a syntax tree, with markdown-it as `parser` sets it up.

The tree is built in one pass over markdown-it's tokens; every node knows its 1-based line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from markdown_it.token import Token

from roadmap_cli.importer.parser import (
    _MD,
    MAX_LINK_LOOKAHEAD,
    MAX_MARKDOWN_ELEMENTS,
    _TooManyElements,
)

if TYPE_CHECKING:
    from roadmap_cli.importer.model import _Piece

__all__ = ["MAX_LINK_LOOKAHEAD", "MAX_MARKDOWN_ELEMENTS", "_MD", "_TooManyElements", "_tree"]

_LISTS = ("bullet_list", "ordered_list")


class _Node:
    """A node of the syntax tree: a block or inline element with its children.

    Built in one pass over markdown-it's tokens (markdown-it's own SyntaxTreeNode copies the
    tokens of every level again, so its cost grows with depth times size). The pieces of an
    inline node and whether a node holds a link are remembered, as they are asked for often.
    """

    __slots__ = (
        "attrs",
        "children",
        "content",
        "has_link",
        "line",
        "link_inside",
        "markup",
        "pieces",
        "tag",
        "type",
    )

    def __init__(self, kind: str, token: Token | None, line: int) -> None:
        self.type = kind
        self.children: list[_Node] = []
        self.pieces: list[_Piece] | None = None
        self.has_link: bool | None = None
        self.link_inside = False  # for inline nodes (emphasis...): a link among those under it
        # The 1-based line where it starts: its own, or its nearest block's. No link to the
        # parent is kept, so the tree holds no cycles and is freed as soon as it is let go.
        self.line = line
        if token is None:
            self.tag, self.markup, self.content = "", "", ""
            self.attrs: dict[str, Any] = {}
        else:
            self.tag, self.markup = token.tag, token.markup
            self.content, self.attrs = token.content, token.attrs

    def walk(self) -> Iterator[_Node]:
        """Yield this node and every node under it, in document order (no recursion)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _tree(tokens: Sequence[Token]) -> _Node:
    """Build the syntax tree of markdown-it's tokens."""
    root = _Node("root", None, 1)
    _add_tokens(root, tokens)
    return root


def _add_tokens(parent: _Node, tokens: Sequence[Token]) -> None:
    stack = [parent]
    for token in tokens:
        if token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
            continue
        top = stack[-1]
        line = token.map[0] + 1 if token.map else top.line
        if token.type == "link_open":
            # Mark the elements it is in, up to the first one marked already (whose own are
            # marked too): each is marked once however deep emphasis nests.
            for outer in reversed(stack[1:]):
                if outer.link_inside:
                    break
                outer.link_inside = True
        if token.nesting == 1:
            node = _Node(token.type.removesuffix("_open"), token, line)
            top.children.append(node)
            stack.append(node)
        else:
            node = _Node(token.type, token, line)
            top.children.append(node)
            if token.children:
                _add_tokens(node, token.children)  # inline tokens: one level only
