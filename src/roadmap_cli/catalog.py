"""Load roadmap files into one catalog and resolve the REFs a user types."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roadmap_cli import cache, paths, records
from roadmap_cli.errors import RoadmapError, RoadmapFileError, UnknownRefError
from roadmap_cli.paths import Source
from roadmap_cli.records import Guide, Resource, Roadmap
from roadmap_cli.safetext import escape_unsafe

# A file's problems listed at most: beyond them checking stops, and says there are more.
MAX_PROBLEMS = 50

if TYPE_CHECKING:
    from roadmap_cli import models
    from roadmap_cli.yamlfile import Document, Loc


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
    # A resource is one thing to learn however many roadmaps list it: resources that share an
    # identity share progress, and progress recorded under an earlier id still counts. Almost
    # every resource is its own, under its REF alone, so these hold only the exceptions:
    # `identities` the REFs of resources that share their identity with another (anything
    # else is its own identity: `identities.get(ref) or ref`), `progress_keys` the REFs whose
    # progress is kept under more keys than the REF itself (`progress_keys.get(ref, (ref,))`).
    identities: dict[str, str] = field(init=False)
    progress_keys: dict[str, tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.roadmaps = {r.id: r for f in self.files for r in f.roadmaps}
        # One pass over every resource loaded (this runs on every command) that builds no REF
        # and no list for a resource of its own, as most are.
        first: dict[str, Roadmap] = {}  # the roadmap of the first resource of each identity
        groups: dict[str, list[tuple[Roadmap, Resource]]] = {}  # the exceptions, by identity
        for r in self.roadmaps.values():
            renamed = bool(r.formerly)
            for section in r.parts:
                for res in section.resources:
                    key = res.identity or f"{r.id}/{res.id}"
                    known = len(first)
                    found = first.setdefault(key, r)
                    if len(first) != known:  # the first resource of its identity
                        if renamed or res.formerly:
                            groups[key] = [(r, res)]
                    elif key in groups:
                        groups[key].append((r, res))
                    else:
                        groups[key] = [(found, _first_of(found, key)), (r, res)]
        self.identities = {}
        self.progress_keys = {}
        for key, group in groups.items():
            refs = [f"{r.id}/{res.id}" for r, res in group]
            keys = tuple(
                dict.fromkeys(
                    k
                    for (r, res), ref in zip(group, refs, strict=True)
                    for k in (former_refs(r, res) if r.formerly or res.formerly else (ref,))
                )
            )
            for ref in refs:
                if len(group) > 1:
                    self.identities[ref] = key
                if keys != (ref,):
                    self.progress_keys[ref] = keys

    def _resolved(self, roadmap: Roadmap, resource: Resource) -> ResolvedRef:
        ref = f"{roadmap.id}/{resource.id}"
        keys = self.progress_keys.get(ref, ())
        return ResolvedRef(roadmap, resource, (ref, *(k for k in keys if k != ref)))

    def known_keys(self) -> set[str]:
        """Return every progress key that some loaded resource reads."""
        known = set(self.all_refs())  # each REF is a key of its own resource
        known.update(key for keys in self.progress_keys.values() for key in keys)
        return known

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


def _first_of(roadmap: Roadmap, key: str) -> Resource:
    """The first resource of `roadmap` whose identity (or REF, if it has none) is `key`."""
    return next(
        res for res in roadmap.all_resources() if (res.identity or f"{roadmap.id}/{res.id}") == key
    )


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

    A file whose exact bytes were validated before comes from the cache (cache.py), and so do
    the errors of a file whose exact bytes were found broken before.
    """
    found = _read_cached(source)
    if found.value is not None:
        return LoadedFile(source, *records.from_plain(found.value))
    return _load_anew(source, found)


def _read_cached(source: Source) -> cache.Found:
    """Look a roadmap file up in the cache: what it holds for the file's bytes, if anything,
    and the bytes when they had to be read (always on a miss).

    Raise the cached error of bytes that were found broken before, without parsing them again.
    """
    found = cache.get(source.path, paths.read_roadmap_file)
    if found.value is None:
        error = cache.get_error(source.path, found)
        if error is not None:
            problem, line, column, more = error
            raise RoadmapFileError(source.path, problem, line, column, more=more)
    return found


def _load_anew(source: Source, found: cache.Found) -> LoadedFile:
    """Parse and validate the bytes of a roadmap file (a cache miss), and cache what they give."""
    # Parsing and validating need PyYAML and the Pydantic models: imported only on a miss.
    from roadmap_cli.yamlfile import parse_bytes, parse_bytes_plain, paused_gc

    raw = found.raw
    assert raw is not None  # a miss reads the bytes
    with paused_gc():
        # Most files that changed are valid: read without positions first; a file with any
        # problem is read again with them, to say where each problem is.
        plain = parse_bytes_plain(raw, source.path)
        checked = check_document(plain) if plain is not None else None
        if checked is None or checked.file is None or checked.problems:
            try:
                checked = check_document(parse_bytes(raw, source.path))
            except RoadmapFileError as exc:
                _cache_error(source, found, exc, 0)
                raise
        if checked.file is None or checked.problems:
            raise _refusal(source, found, checked)
        guide, roadmaps = records.from_file(checked.file)
        # Still without the collector: the validated models are alive, and every collection
        # while the records are flattened would walk them all again (a fifth of a second at
        # 10,000 resources).
        cache.put(source.path, found, records.to_plain(guide, roadmaps))
    return LoadedFile(source, guide, roadmaps)


def _refusal(source: Source, found: cache.Found, checked: Checked) -> RoadmapFileError:
    """Return the error that refuses a file: its first problem, and how many more it has."""
    first = checked.problems[0]
    problem, more = first.problem, len(checked.problems) - 1 + (checked.more or 0)
    if checked.more is None:
        problem += (
            f" (More problems in this file: checking stopped after the first {MAX_PROBLEMS};"
            " 'roadmap validate' lists them.)"
        )
        more = 0
    error = RoadmapFileError(first.path, problem, first.line, first.column, more=more)
    _cache_error(source, found, error, more)
    return error


def _cache_error(source: Source, found: cache.Found, error: RoadmapFileError, more: int) -> None:
    """Remember why these bytes do not load, so that the next command need not parse them."""
    cache.put_error(source.path, found, (error.problem, error.line, error.column, more))


def completion_ids(sources: Sequence[Source]) -> dict[str, list[str]]:
    """Return each roadmap id with its resource ids, for a TAB press: as fast as can be.

    Straight from the cache where it holds a file (no records, no catalog); files that do not
    load are left out quietly, and a roadmap id defined twice keeps its first definition.
    """
    found: dict[str, list[str]] = {}
    for source in sources:
        try:
            cached = _read_cached(source)
            if cached.value is None:
                loaded = _load_anew(source, cached)
                pairs = [(r.id, [res.id for res in r.all_resources()]) for r in loaded.roadmaps]
            else:
                pairs = records.ids_of(cached.value)
        except RoadmapError:
            continue
        for roadmap_id, ids in pairs:
            found.setdefault(roadmap_id, ids)
    return found


@dataclass(frozen=True)
class Checked:
    """What checking a parsed roadmap file found: the file when it is valid, or its problems."""

    file: models.RoadmapFile | None
    problems: list[RoadmapFileError]  # the first MAX_PROBLEMS, in file order
    # How many problems there are beyond `problems`; None when checking stopped before it had
    # seen them all (counting every problem of a hostile file would cost what the limit saves).
    more: int | None = 0


def check_document(doc: Document) -> Checked:
    """Validate a parsed roadmap file: the file when valid, else its first problems in order.

    Validation goes a resource, a step, a roadmap at a time (each part already checked stands in
    its parent as a model, so nothing is validated twice), and stops once MAX_PROBLEMS problems
    are found: a file of a hundred thousand mistakes costs no more than one of fifty.
    """
    if not isinstance(doc.data, dict):
        line, col = doc.position(())
        problem = f"the top level must be a mapping with a 'roadmaps' list, not {_kind(doc.data)}."
        return Checked(None, [RoadmapFileError(doc.path, problem, line, col)])
    parsed = _valid_file(doc.data)
    if parsed is None:  # something is wrong: part by part, for the problems in order
        checker = _Checker()
        try:
            parsed = checker.file(doc.data)
        except _Enough:
            parsed = None
        if checker.errors:
            problems = _explain(doc, checker.errors)[:MAX_PROBLEMS]
            more = None if checker.stopped else checker.count - len(problems)
            return Checked(None, problems, more)
    assert parsed is not None  # no errors: the file validated
    problems = _duplicate_ids(doc, parsed)
    if problems:
        return Checked(None, problems[:MAX_PROBLEMS], len(problems[MAX_PROBLEMS:]))
    return Checked(parsed, [])


def _valid_file(data: dict[str, Any]) -> models.RoadmapFile | None:
    """The file validated in one pass of Pydantic (most files are valid), or None if it is not.

    The same models as `_Checker` validates part by part, so a valid file gives the same
    result; a third faster at 10,000 resources, as the loop over the parts runs inside
    Pydantic. Anything wrong is left to `_Checker`, which says what, where, in file order.
    """
    from pydantic import ValidationError

    from roadmap_cli import models

    try:
        return models.RoadmapFile.model_validate(data)
    except ValidationError:
        return None


class _Enough(Exception):
    """MAX_PROBLEMS problems are found: checking stops."""


class _Checker:
    """Validate roadmap-file data part by part, collecting Pydantic's errors with full locations."""

    def __init__(self) -> None:
        from roadmap_cli import models

        self.models = models
        self.errors: list[tuple[Loc, Any]] = []
        self.count = 0  # errors found, listed or not
        self.stopped = False
        # Stand-ins for parts that failed, so that their parent reports only its own problems.
        # A failed step keeps a resource: "its steps list no resources" is not made up.
        self.resource_stub = models.Resource.model_construct(
            id="x", title="x", url="https://x.invalid/", hours=models.Hours.model_construct()
        )
        self.step_stub = models.Step.model_construct(title="x", resources=[self.resource_stub])
        self.roadmap_stub = models.Roadmap.model_construct(
            id="x", title="x", resources=[self.resource_stub]
        )

    def _validate(self, model: type[Any], value: Any, loc: Loc) -> Any | None:
        from pydantic import ValidationError

        try:
            return model.model_validate(value)
        except ValidationError as exc:
            self.count += exc.error_count()
            errors = exc.errors(include_url=False, include_context=False, include_input=False)
            self.errors.extend(((*loc, *e["loc"]), e) for e in errors[:MAX_PROBLEMS])
            if self.count >= MAX_PROBLEMS:
                self.stopped = True
                raise _Enough from None
            return None

    def _resources(self, value: Any, loc: Loc) -> Any:
        if not isinstance(value, list):
            return value  # the parent says what is wrong with it
        model, stub = self.models.Resource, self.resource_stub
        return [self._validate(model, item, (*loc, i)) or stub for i, item in enumerate(value)]

    def _step(self, value: Any, loc: Loc) -> Any:
        if isinstance(value, dict) and "resources" in value:
            value = {**value, "resources": self._resources(value["resources"], (*loc, "resources"))}
        return self._validate(self.models.Step, value, loc) or self.step_stub

    def _roadmap(self, value: Any, loc: Loc) -> Any:
        if isinstance(value, dict):
            value = dict(value)
            steps = value.get("steps")
            if isinstance(steps, list):
                here = (*loc, "steps")
                value["steps"] = [self._step(step, (*here, i)) for i, step in enumerate(steps)]
            if "resources" in value:
                value["resources"] = self._resources(value["resources"], (*loc, "resources"))
        return self._validate(self.models.Roadmap, value, loc) or self.roadmap_stub

    def file(self, data: dict[str, Any]) -> models.RoadmapFile | None:
        roadmaps = data.get("roadmaps")
        if isinstance(roadmaps, list):
            checked = [self._roadmap(r, ("roadmaps", i)) for i, r in enumerate(roadmaps)]
            data = {**data, "roadmaps": checked}
        parsed: models.RoadmapFile | None = self._validate(self.models.RoadmapFile, data, ())
        return parsed if not self.errors else None


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
            # Keep the error, not what was being read when it was raised: the frames of its
            # traceback (and of the error it replaced) hold the file's bytes and all that was
            # parsed from them, and a folder may hold many broken files of 5 MiB.
            exc.__traceback__ = exc.__context__ = None
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

    def line_of(loc: Loc) -> int:
        return doc.position(loc)[0]

    roadmap_at: dict[str, int] = {}
    for r_index, roadmap in enumerate(parsed.roadmaps):
        here: Loc = ("roadmaps", r_index, "id")
        if roadmap.id in roadmap_at:
            line, col = doc.position(here)
            first = line_of(("roadmaps", roadmap_at[roadmap.id], "id"))
            problem = (
                f"roadmap id {roadmap.id!r} is already used on line {first}; each roadmap needs "
                "its own id."
            )
            problems.append(RoadmapFileError(doc.path, problem, line, col))
        roadmap_at.setdefault(roadmap.id, r_index)
        # Positions only for the ids used twice: most files have none.
        resource_at: dict[str, Loc] = {}
        for loc, resource in resource_locs(r_index, roadmap):
            if resource.id in resource_at:
                line, col = doc.position((*loc, "id"))
                first = line_of((*resource_at[resource.id], "id"))
                problem = (
                    f"resource id {resource.id!r} is already used in roadmap {roadmap.id!r} on "
                    f"line {first}; progress is kept by id, so each resource needs its own."
                )
                problems.append(RoadmapFileError(doc.path, problem, line, col))
            resource_at.setdefault(resource.id, loc)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def resource_locs(r_index: int, roadmap: models.Roadmap) -> Iterable[tuple[Loc, models.Resource]]:
    """Yield where each resource of the `r_index`-th roadmap stands in its file, in order."""
    if roadmap.steps is not None:
        for s_index, step in enumerate(roadmap.steps):
            for i, res in enumerate(step.resources):
                yield ("roadmaps", r_index, "steps", s_index, "resources", i), res
    for i, res in enumerate(roadmap.resources or []):
        yield ("roadmaps", r_index, "resources", i), res


def _explain(doc: Document, errors: list[tuple[Loc, Any]]) -> list[RoadmapFileError]:
    """Turn Pydantic's errors into problems in file order, each with its line and column."""
    # A misspelt key also makes the real one "missing": name the misspelling first, and the
    # missing key where the misspelling stands.
    extra_at: dict[Loc, tuple[int, int]] = {}
    for loc, error in errors:
        if error["type"] == "extra_forbidden":
            where = doc.position(loc, at_key=True)
            extra_at[loc[:-1]] = min(extra_at.get(loc[:-1], where), where)
    found = []
    for loc, error in errors:
        extra = error["type"] == "extra_forbidden"
        line, col = doc.position(loc, at_key=extra)
        order = (line, col)
        message = str(error["msg"]).removeprefix("Value error, ")
        if extra:
            message = "unknown key (check its spelling and indentation)"
        elif error["type"] == "missing":
            message = "this required field is missing"
            order = extra_at.get(loc[:-1], order)
        problem = RoadmapFileError(doc.path, f"{_dotted(loc)}: {message}.", line, col)
        found.append((order, not extra, problem))
    found.sort(key=lambda item: item[:2])
    return [problem for _order, _missing, problem in found]


def _dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str) and len(part) > 40:
            part = part[:39] + "…"  # a key is the user's text: it may be a megabyte long
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    # A key is the user's text: it may hold anything, even an escape sequence.
    return escape_unsafe(out) or "(top level)"


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
