"""Text that hides things: invisible characters are refused, look-alike hosts shown in ASCII."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from roadmap_cli.catalog import Source, load_file
from roadmap_cli.errors import RoadmapFileError
from roadmap_cli.safetext import display_url, escape_unsafe, mixes_scripts, unsafe_chars
from tests.conftest import Invoke

WriteRoadmap = Callable[..., Path]

ROADMAP = """\
version: 1
roadmaps:
  - id: mine
    title: My roadmap
    resources:
      - id: one
        title: One
        url: https://one.org/a
        hours: 1
"""
#  line 7 is "        title: One": the value starts at column 16; line 6's id at column 13.

INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "BOM in the middle of a title",
    "\u00ad": "SOFT HYPHEN",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u2062": "INVISIBLE TIMES",
    "\U000e0041": "TAG LATIN CAPITAL LETTER A",
    "\u115f": "HANGUL CHOSEONG FILLER",
    "\u3164": "HANGUL FILLER",
    "\uffa0": "HALFWIDTH HANGUL FILLER",
}


def refusal(path: Path) -> str:
    with pytest.raises(RoadmapFileError) as caught:
        load_file(Source(path, "--roadmaps"))
    message = str(caught.value)
    assert "\n" not in message, "one paragraph"
    return message


@pytest.mark.parametrize("char", list(INVISIBLE), ids=list(INVISIBLE.values()))
def test_an_invisible_character_in_a_title_is_refused_with_file_line_column_and_field(
    write_roadmap: WriteRoadmap, char: str
) -> None:
    path = write_roadmap(ROADMAP.replace("title: One", f"title: O{char}ne"))
    message = refusal(path)
    assert message.startswith(f"{path}:7:16: roadmaps[0].resources[0].title: "), message
    assert "invisible" in message
    assert f"U+{ord(char):04X}" in message


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\u2060", "\ufeff", "\u3164"])
def test_an_invisible_character_in_an_id_is_named_not_only_refused(
    write_roadmap: WriteRoadmap, char: str
) -> None:
    path = write_roadmap(ROADMAP.replace("id: one", f"id: one{char}"))
    message = refusal(path)
    assert message.startswith(f"{path}:6:13: roadmaps[0].resources[0].id: "), message
    assert f"U+{ord(char):04X}" in message
    assert "invisible" in message


def test_an_invisible_character_in_a_roadmap_id_and_url_is_refused(
    write_roadmap: WriteRoadmap,
) -> None:
    in_id = write_roadmap(ROADMAP.replace("id: mine", "id: mi\u200bne"), name="id.yaml")
    assert refusal(in_id).startswith(f"{in_id}:3:9: roadmaps[0].id: ")
    in_url = write_roadmap(ROADMAP.replace("one.org", "o\u200bne.org"), name="url.yaml")
    message = refusal(in_url)
    assert message.startswith(f"{in_url}:8:14: roadmaps[0].resources[0].url: "), message
    assert "U+200B" in message


def test_a_bidi_control_in_a_title_is_still_refused(write_roadmap: WriteRoadmap) -> None:
    path = write_roadmap(ROADMAP.replace("title: One", "title: O\u202ene"))
    assert "U+202E" in refusal(path)


def test_joiners_stay_allowed_in_prose(write_roadmap: WriteRoadmap) -> None:
    # Persian needs the non-joiner and emoji sequences the joiner: descriptions may hold them.
    prose = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb"
    text = ROADMAP.replace("hours: 1", f"hours: 1\n        description: {prose}")
    loaded = load_file(Source(write_roadmap(text), "--roadmaps"))
    assert next(loaded.roadmaps[0].all_resources()).description == prose


def test_every_format_character_of_this_python_is_unsafe_in_a_line() -> None:
    # The list in safetext is written out (no scan of Unicode at import); it must not fall
    # behind the Unicode version of the Python that runs it.
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf"
        and not unsafe_chars(chr(code), allow_newlines=False)
    ]
    assert missed == []


def test_ordinary_text_is_safe() -> None:
    text = "Café – naïve “quotes” 日本語 한국어 русский हिन्दी 🧠 ☕"
    assert unsafe_chars(text, allow_newlines=False) == []
    assert escape_unsafe(text) == text


def test_escape_shows_an_invisible_character_in_a_line() -> None:
    assert escape_unsafe("a\u200bb") == "a\\u200bb"


# --- link hosts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # A Cyrillic a (U+0430) among Latin letters: another domain that looks like apple.com.
        ("https://\u0430pple.com", "https://xn--pple-43d.com"),
        ("https://\u0430pple.com/path?q=1#top", "https://xn--pple-43d.com/path?q=1#top"),
        ("https://login.\u0430pple.com:8443/x", "https://login.xn--pple-43d.com:8443/x"),
        ("https://p\u0430yp\u0430l.com/", "https://xn--pypl-53dc.com/"),
        # A Greek capital alpha: the host is lower-cased, as every browser does.
        ("https://\u0391PPLE.com", "https://xn--pple-zld.com"),
        # A symbol in a host has no business there.
        ("https://a\u2615.com/", "https://xn--a-2yp.com/"),
    ],
)
def test_a_host_that_mixes_scripts_is_shown_in_ascii(url: str, shown: str) -> None:
    assert display_url(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "https://apple.com/x",
        "https://пример.рф/",
        "https://пример.com/страница",
        "https://例え.テスト/a",
        "https://ドメイン名例.jp",
        "https://한국.kr/",
        "https://中文.中国/",
        "https://café.fr/",
        "https://münchen.de/a?b=\u0430pple",  # only the host counts
        "https://हिन्दी.भारत/",
    ],
)
def test_a_host_in_one_script_stays_as_written(url: str) -> None:
    assert display_url(url) == url


def test_mixes_scripts_looks_at_each_label() -> None:
    assert mixes_scripts("\u0430pple.com")
    assert not mixes_scripts("пример.com")
    assert not mixes_scripts("xn--pple-43d.com")


def test_show_prints_a_look_alike_host_in_ascii(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(ROADMAP.replace("https://one.org/a", "https://\u0430pple.com/a"))
    result = invoke("--roadmaps", str(path), "show", "mine")
    assert result.exit_code == 0, result.output
    assert "https://xn--pple-43d.com/a" in result.stdout
    assert "\u0430" not in result.stdout


def test_next_prints_a_look_alike_host_in_ascii(
    invoke: Invoke, write_roadmap: WriteRoadmap
) -> None:
    path = write_roadmap(ROADMAP.replace("https://one.org/a", "https://\u0430pple.com/a"))
    result = invoke("--roadmaps", str(path), "next", "mine")
    assert result.exit_code == 0, result.output
    assert "https://xn--pple-43d.com/a" in result.stdout
    assert "\u0430" not in result.stdout
