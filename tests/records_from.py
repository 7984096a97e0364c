"""Build roadmap records the way the program does: validate with the models, then convert."""

from __future__ import annotations

from typing import Any

from roadmap_cli import records
from roadmap_cli.models import RoadmapFile


def make_roadmap(data: dict[str, Any]) -> records.Roadmap:
    """Validate one roadmap's data (as a roadmap file would hold it) and return its record."""
    _, (roadmap,) = records.from_file(RoadmapFile.model_validate({"roadmaps": [data]}))
    return roadmap
