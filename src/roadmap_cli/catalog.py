"""Load roadmap files into one catalog and resolve the REFs a user types."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roadmap_cli import cache, paths, records
from roadmap_cli.errors import RoadmapError, RoadmapFileError, UnknownRefError
from roadmap_cli.records import Guide, Resource, Roadmap
from roadmap_cli.safetext import escape_unsafe

if TYPE_CHECKING:
    from pydantic import ValidationError

    from roadmap_cli import models
    from roadmap_cli.yamlfile import Document, Loc


@dataclass(frozen=True)
class Source:
    """A roadmap file and why it is loaded: "shipped", "ROADMAP_CLI_ROADMAPS" or "--roadmaps"."""

    path: Path
    origin: str


@dataclass(frozen=True)
class LoadedFile:
    source: Source
    guide: Guide | None
    roadmaps: tuple[Roadmap, ...]


@dataclass(frozen=True)
class ResolvedRef:
    """A resource found by a REF, with the roadmap it belongs to."""

    roadmap: Roadmap
    resource: Resource
    # Every progress key that counts for this resource: its REF first, then earlier REFs and
    # those of the same resource in other roadmaps.
    keys: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.roadmap.id}/{self.resource.id}"


@dataclass
class Catalog:
    """Every roadmap loaded, in file order."""

    files: list[LoadedFile]
    roadmaps: dict[str, Roadmap] = field(init=False)
    identities: dict[str, str] = field(init=False)
    progress_keys: dict[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.roadmaps = {r.id: r for f in self.files for r in f.roadmaps}
        # A resource is one thing to learn however many roadmaps list it: resources that share
        # an identity share progress, and progress recorded under an earlier id still counts.
        self.identities = {}
        keys_of_identity: dict[str, list[str]] = {}
        for r in self.roadmaps.values():
            for res in r.all_resources():
                ref = f"{r.id}/{res.id}"
                key = res.identity or ref
                self.identities[ref] = key
                refs = former_refs(r, res) if r.formerly or res.formerly else [ref]
                keys_of_identity.setdefault(key, []).extend(refs)
        self.progress_keys = {
            ref: tuple(dict.fromkeys(keys_of_identity[key])) for ref, key in self.identities.items()
        }

    def _resolved(self, roadmap: Roadmap, resource: Resource) -> ResolvedRef:
        ref = f"{roadmap.id}/{resource.id}"
        keys = self.progress_keys.get(ref, ())
        return ResolvedRef(roadmap, resource, (ref, *(k for k in keys if k != ref)))

    def known_keys(self) -> set[str]:
        """Return every progress key that some loaded resource reads."""
        return {key for keys in self.progress_keys.values() for key in keys}

    def roadmap(self, roadmap_id: str) -> Roadmap:
        """Return the roadmap with this id, or raise UnknownRefError with close matches."""
        try:
            return self.roadmaps[roadmap_id]
        except KeyError:
            raise UnknownRefError(
                f"No roadmap with id {roadmap_id!r}."
                + _suggest(roadmap_id, self.roadmaps, "Roadmaps")
            ) from None

    def guide_of(self, roadmap_id: str) -> Guide | None:
        """Return the guide of the file that defines this roadmap, if it has one."""
        return next(
            (f.guide for f in self.files if any(r.id == roadmap_id for r in f.roadmaps)), None
        )

    def all_refs(self) -> list[str]:
        """Return every REF in roadmap order."""
        return [f"{r.id}/{res.id}" for r in self.roadmaps.values() for res in r.all_resources()]

    def resolve(self, ref: str) -> ResolvedRef:
        """Find the resource a REF names: ROADMAP/RESOURCE, or a resource id unique overall."""
        if "/" in ref:
            roadmap_id, resource_id = ref.split("/", 1)
            roadmap = self.roadmaps.get(roadmap_id)
            resource = _find(roadmap, resource_id) if roadmap else None
            if roadmap is None or resource is None:
                raise UnknownRefError(
                    f"No resource {ref!r}." + _suggest(ref, self.all_refs(), "REFs")
                )
            return self._resolved(roadmap, resource)
        found = [
            self._resolved(r, res)
            for r in self.roadmaps.values()
            for res in r.all_resources()
            if res.id == ref
        ]
        if len(found) == 1:
            return found[0]
        if found:
            options = ", ".join(f.ref for f in found)
            raise UnknownRefError(
                f"{ref!r} is a resource in more than one roadmap; name one of: {options}."
            )
        hint = ""
        if ref in self.roadmaps:
            hint = f" {ref!r} is a roadmap; name one of its resources as {ref}/RESOURCE."
        refs = self.all_refs()
        ids = [r.split("/", 1)[1] for r in refs]
        raise UnknownRefError(
            f"No resource {ref!r}.{hint}" + _suggest(ref, refs, "REFs", also_match=ids)
        )

    def resolve_all(self, refs: Iterable[str]) -> list[ResolvedRef]:
        """Resolve every REF, failing on the first that matches nothing, before any change."""
        resolved: dict[str, ResolvedRef] = {}
        for ref in refs:
            found = self.resolve(ref)
            resolved.setdefault(found.ref, found)
        return list(resolved.values())


def former_refs(roadmap: Roadmap, resource: Resource) -> list[str]:
    """Return the REF of a resource, then the REFs it had under earlier ids."""
    roadmap_ids = [roadmap.id, *roadmap.formerly]
    resource_ids = [resource.id, *resource.formerly]
    return [f"{r}/{res}" for r in roadmap_ids for res in resource_ids]


def _find(roadmap: Roadmap, resource_id: str) -> Resource | None:
    return next((res for res in roadmap.all_resources() if res.id == resource_id), None)


def _suggest(
    word: str, candidates: Iterable[str], what: str, also_match: Iterable[str] = ()
) -> str:
    """Name the close matches of `word`, or list the candidates when there are few."""
    import difflib  # only a REF that matches nothing needs it

    listed = list(dict.fromkeys(candidates))
    pool = list(dict.fromkeys([*listed, *also_match]))
    close = difflib.get_close_matches(word, pool, n=5, cutoff=0.6)
    if close:
        return " Did you mean: " + ", ".join(close) + "?"
    if listed and len(listed) <= 12:
        return f" {what}: " + ", ".join(listed) + "."
    return " Run 'roadmap list' to see the roadmaps and 'roadmap show ROADMAP' for their REFs."


def load_file(source: Source) -> LoadedFile:
    """Load and validate one roadmap file, or raise RoadmapFileError naming file and line.

    A file whose exact bytes were validated before comes from the cache (cache.py).
    """
    raw, cached = _read_cached(source)
    if cached is not None:
        return LoadedFile(source, *records.from_plain(cached))
    return _load_anew(source, raw)


def _read_cached(source: Source) -> tuple[bytes, Any | None]:
    """Read a roadmap file; return its bytes and what the cache holds for them, if anything."""
    raw = paths.read_roadmap_file(source.path)
    return raw, cache.get(source.path, raw)


def _load_anew(source: Source, raw: bytes) -> LoadedFile:
    """Parse and validate the bytes of a roadmap file, and cache what they give."""
    # Parsing and validating need PyYAML and the Pydantic models: imported only on a miss.
    from roadmap_cli.yamlfile import parse_bytes

    parsed, problems = check_document(parse_bytes(raw, source.path))
    if parsed is None or problems:
        first = problems[0]
        raise RoadmapFileError(
            first.path, first.problem, first.line, first.column, more=len(problems) - 1
        )
    guide, roadmaps = records.from_file(parsed)
    cache.put(source.path, raw, records.to_plain(guide, roadmaps))
    return LoadedFile(source, guide, roadmaps)


def completion_ids(sources: Sequence[Source]) -> dict[str, list[str]]:
    """Return each roadmap id with its resource ids, for a TAB press: as fast as can be.

    Straight from the cache where it holds a file (no records, no catalog); files that do not
    load are left out quietly, and a roadmap id defined twice keeps its first definition.
    """
    found: dict[str, list[str]] = {}
    for source in sources:
        try:
            raw, plain = _read_cached(source)
            if plain is None:
                loaded = _load_anew(source, raw)
                pairs = [(r.id, [res.id for res in r.all_resources()]) for r in loaded.roadmaps]
            else:
                pairs = records.ids_of(plain)
        except RoadmapError:
            continue
        for roadmap_id, ids in pairs:
            found.setdefault(roadmap_id, ids)
    return found


def check_document(doc: Document) -> tuple[models.RoadmapFile | None, list[RoadmapFileError]]:
    """Validate a parsed roadmap file: the file when valid, and every problem found in order."""
    from pydantic import ValidationError

    from roadmap_cli.models import RoadmapFile

    if not isinstance(doc.data, dict):
        line, col = doc.position(())
        problem = f"the top level must be a mapping with a 'roadmaps' list, not {_kind(doc.data)}."
        return None, [RoadmapFileError(doc.path, problem, line, col)]
    try:
        parsed = RoadmapFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, _explain(doc, exc)
    problems = _duplicate_ids(doc, parsed)
    return (None if problems else parsed), problems


def load_catalog(
    sources: Sequence[Source], *, skippable: Collection[str] = ()
) -> tuple[Catalog, list[RoadmapError]]:
    """Load every source into one catalog; a roadmap id defined twice is an error.

    A broken file whose origin is in `skippable` is left out instead, and its error returned.
    """
    files: list[LoadedFile] = []
    skipped: list[RoadmapError] = []
    for source in sources:
        try:
            files.append(load_file(source))
        except RoadmapError as exc:
            if source.origin not in skippable:
                raise
            skipped.append(exc)
    seen: dict[str, Path] = {}
    kept: list[LoadedFile] = []
    for loaded in files:
        clash = next((r.id for r in loaded.roadmaps if r.id in seen), None)
        if clash is not None:
            error = RoadmapFileError(
                loaded.source.path,
                f"roadmap id {clash!r} is already defined in {seen[clash]}; "
                "give one of them another id.",
            )
            if loaded.source.origin not in skippable:
                raise error
            skipped.append(error)
            continue
        seen.update((r.id, loaded.source.path) for r in loaded.roadmaps)
        kept.append(loaded)
    return Catalog(kept), skipped


def _duplicate_ids(doc: Document, parsed: models.RoadmapFile) -> list[RoadmapFileError]:
    problems = []
    roadmap_lines: dict[str, int] = {}
    for r_index, roadmap in enumerate(parsed.roadmaps):
        line, col = doc.position(("roadmaps", r_index, "id"))
        if roadmap.id in roadmap_lines:
            problem = (
                f"roadmap id {roadmap.id!r} is already used on line "
                f"{roadmap_lines[roadmap.id]}; each roadmap needs its own id."
            )
            problems.append(RoadmapFileError(doc.path, problem, line, col))
        roadmap_lines.setdefault(roadmap.id, line)
        resource_lines: dict[str, int] = {}
        for loc, resource in resource_locs(r_index, roadmap):
            line, col = doc.position((*loc, "id"))
            if resource.id in resource_lines:
                problem = (
                    f"resource id {resource.id!r} is already used in roadmap {roadmap.id!r} on "
                    f"line {resource_lines[resource.id]}; progress is kept by id, so each "
                    "resource needs its own."
                )
                problems.append(RoadmapFileError(doc.path, problem, line, col))
            resource_lines.setdefault(resource.id, line)
    return problems


def resource_locs(r_index: int, roadmap: models.Roadmap) -> Iterable[tuple[Loc, models.Resource]]:
    """Yield where each resource of the `r_index`-th roadmap stands in its file, in order."""
    if roadmap.steps is not None:
        for s_index, step in enumerate(roadmap.steps):
            for i, res in enumerate(step.resources):
                yield ("roadmaps", r_index, "steps", s_index, "resources", i), res
    for i, res in enumerate(roadmap.resources or []):
        yield ("roadmaps", r_index, "resources", i), res


def _explain(doc: Document, exc: ValidationError) -> list[RoadmapFileError]:
    errors = exc.errors(include_url=False)
    # A misspelt key also makes the real one "missing": name the misspelling first.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        line, col = doc.position(loc, at_key=error["type"] == "extra_forbidden")
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check its spelling and indentation)"
        elif error["type"] == "missing":
            message = "this required field is missing"
        problems.append(RoadmapFileError(doc.path, f"{_dotted(loc)}: {message}.", line, col))
    return problems


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    # A key is the user's text: it may hold anything, even an escape sequence.
    return escape_unsafe(out) or "(top level)"


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
