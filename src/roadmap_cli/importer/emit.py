"""Emitting: the roadmaps found, with ids unique among themselves and those taken already,
as the plain data of a roadmap file; and the kind of each resource, guessed."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from roadmap_cli.importer.model import _Resource, _Roadmap, _Step

ID_LENGTH = 40
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com")
_COURSE_HOSTS = (
    "coursera.org",
    "edx.org",
    "udemy.com",
    "udacity.com",
    "khanacademy.org",
    "datacamp.com",
    "codecademy.com",
    "pluralsight.com",
)
_POST_HOSTS = ("medium.com", "substack.com", "github.io", "dev.to", "hashnode.dev")
_COURSE_WORDS = re.compile(
    r"\b(course|courses|specialization|specialisation|mooc|nanodegree)\b|\bcs\s?\d+", re.I
)


# What authors call a kind of resource, as its words ("Books", "Video course", "Blog post"),
# and the kind each names.
_KIND_WORDS = {
    "book": "book",
    "ebook": "book",
    "textbook": "book",
    "course": "course",
    "video course": "course",
    "online course": "course",
    "mooc": "course",
    "class": "course",
    "video": "video",
    "talk": "video",
    "lecture": "video",
    "webinar": "video",
    "screencast": "video",
    "youtube": "video",
    "article": "article",
    "paper": "article",
    "essay": "article",
    "post": "post",
    "blog post": "post",
    "blog": "post",
    "doc": "docs",
    "docs": "docs",
    "documentation": "docs",
    "official docs": "docs",
    "official documentation": "docs",
    "reference": "docs",
    "manual": "docs",
    "tutorial": "tutorial",
    "guide": "tutorial",
    "workshop": "workshop",
    "podcast": "podcast",
    "exercise": "exercises",
    "lab": "exercises",
    "hands on lab": "exercises",
    "practice": "exercises",
    "kata": "exercises",
    "challenge": "exercises",
    "project": "project",
}


# What a description may say a link is ("Free book on linear algebra"), when neither its
# title nor its host tells.
_DESCRIBED_AS = re.compile(
    r"\b(?:video courses?|e?books?|courses?|tutorials?|videos?|articles?|papers?"
    r"|documentation|podcasts?)\b",
    re.IGNORECASE,
)


def kind_named(text: str) -> str | None:
    """Return the kind a word or two name ("📘 Books:", "[Video]", "Blog post"), or None."""
    words = " ".join(re.sub(r"[\W_]+", " ", text).lower().split())
    for candidate in (words, words.removesuffix("es"), words.removesuffix("s")):
        if candidate in _KIND_WORDS:
            return _KIND_WORDS[candidate]
    return None


def guess_kind(title: str, url: str) -> str:
    """Guess a resource's kind (video, course, post, ...) from its title and URL."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.lower()
    words = title.lower()
    if _on_host(host, _VIDEO_HOSTS):
        return "video"
    if "workshop" in words:
        return "workshop"
    if (
        _on_host(host, _COURSE_HOSTS)
        or _COURSE_WORDS.search(words)
        or (host.endswith(".edu") and re.search(r"/(class|course)", path))
    ):
        return "course"
    if _on_host(host, _POST_HOSTS) or "blog" in host or "/blog" in path or "blog" in words:
        return "post"
    for kind, pattern in (
        ("video", r"\b(video|lecture|talk|webinar)s?\b"),
        ("tutorial", r"\btutorials?\b"),
        ("book", r"\bbooks?\b"),
        ("article", r"\b(article|paper)s?\b"),
    ):
        if re.search(pattern, words):
            return kind
    return "other"


def _kind(resource: _Resource) -> str:
    """The kind the text names; else guessed from the title and host, or the description."""
    if resource.kind:
        return resource.kind
    kind = guess_kind(resource.title, resource.url)
    if kind in ("other", "post") and resource.description:
        match = _DESCRIBED_AS.search(resource.description)
        if match is not None:
            return kind_named(match.group()) or kind
    return kind


def slugify(text: str, limit: int = ID_LENGTH) -> str:
    """Make a lowercase id from text: ASCII letters and digits joined by single hyphens."""
    folded = unicodedata.normalize("NFKD", text.replace("'", "").replace("’", ""))
    words = re.findall(r"[a-z0-9]+", folded.encode("ascii", "ignore").decode().lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def _on_host(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _assemble(
    roadmaps: list[_Roadmap], taken_ids: set[str]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Give ids to the roadmaps and resources and write them as plain data."""
    used = _Ids(taken_ids)
    out: list[dict[str, Any]] = []
    progress: dict[str, str] = {}
    for roadmap in roadmaps:
        if not roadmap.steps and not roadmap.resources:
            continue
        roadmap_id = used.unique(slugify(roadmap.title) or "roadmap")
        data: dict[str, Any] = {"id": roadmap_id, "title": roadmap.title}
        if roadmap.summary:
            data["summary"] = "\n\n".join(roadmap.summary)
        if roadmap.notes:
            data["note"] = "\n\n".join(roadmap.notes)
        if roadmap.stated is not None:
            stated = roadmap.stated
            data["stated_hours"] = {
                "low": _num(stated.low),
                "high": _num(stated.high),
                "plus": stated.plus,
            }
        ids = _Ids()
        if roadmap.steps:
            data["steps"] = [
                _step_data(step, _resources_data(step.resources, roadmap_id, ids, progress))
                for step in roadmap.steps
            ]
        else:
            data["resources"] = _resources_data(roadmap.resources, roadmap_id, ids, progress)
        out.append(data)
    return out, progress


def _resources_data(
    resources: list[_Resource], roadmap_id: str, ids: _Ids, progress: dict[str, str]
) -> list[dict[str, Any]]:
    """Write resources as data with ids unique in the roadmap; note the ticked ones."""
    out: list[dict[str, Any]] = []
    for resource in resources:
        resource_id = ids.unique(_resource_slug(resource))
        if resource.done:
            progress[f"{roadmap_id}/{resource_id}"] = "done"
        out.append(_resource_data(resource, resource_id))
    return out


def _step_data(step: _Step, resources: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"title": step.title}
    if step.description:
        data["description"] = step.description
    data["resources"] = resources
    return data


def _resource_data(resource: _Resource, resource_id: str) -> dict[str, Any]:
    estimate = resource.estimate
    data: dict[str, Any] = {
        "id": resource_id,
        "title": resource.title,
        "kind": _kind(resource),
        "url": resource.url,
    }
    if resource.placeholder:
        data["placeholder"] = True
    # With no figure in the source and no total to share, no estimate is made up.
    if estimate is not None:
        low, high = _num(estimate.low), _num(estimate.high)
        data["hours"] = low if low == high else {"low": low, "high": high}
        data["basis"] = estimate.basis
    if resource.description:
        data["description"] = resource.description
    return data


def _resource_slug(resource: _Resource) -> str:
    parts = urlsplit(resource.url)
    return slugify(resource.title) or slugify(f"{parts.hostname} {parts.path}") or "resource"


class _Ids:
    """Ids in use, and for each base the number its next `base-N` is tried from."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.used = set(taken or ())
        self.next: dict[str, int] = {}

    def unique(self, base: str) -> str:
        """Return `base`, or `base-2`, `base-3`... whichever is not used yet, and mark it used.

        The numbers tried before for the same base are all used, so they are not tried again:
        a thousand resources with the same title cost a thousand tries, not half a million.
        """
        candidate = base
        number = self.next.get(base, 2)
        while candidate in self.used:
            candidate = f"{base}-{number}"
            number += 1
        self.next[base] = number
        self.used.add(candidate)
        return candidate


def _num(value: float) -> int | float:
    """Return a whole number as an int, so that YAML shows 80 rather than 80.0."""
    return int(value) if value == int(value) else value
