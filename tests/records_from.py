"""Build records the way the program does: validate with the models, then convert."""

from __future__ import annotations

from typing import Any

from roadmap_cli import entries, models, records
from roadmap_cli.models import RoadmapFile


def make_roadmap(data: dict[str, Any]) -> records.Roadmap:
    """Validate one roadmap's data (as a roadmap file would hold it) and return its record."""
    _, (roadmap,) = records.from_file(RoadmapFile.model_validate({"roadmaps": [data]}))
    return roadmap


def make_progress(data: dict[str, Any] | str | bytes) -> entries.ProgressFile:
    """Validate a progress file's data or text strictly, as `Store` does, and return its records."""
    if isinstance(data, dict):
        model = models.ProgressFile.model_validate(data, strict=True)
    else:
        model = models.ProgressFile.model_validate_json(data, strict=True)
    return entries.from_model(model)


def make_entry(data: dict[str, Any]) -> entries.Entry:
    """Validate one progress entry's data and return its record."""
    return make_progress({"version": 2, "entries": {"a/b": data}}).entries["a/b"]
