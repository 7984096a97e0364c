"""Import roadmaps written in Markdown: headings, lists of links, tables and hour phrases.

The structure comes from markdown-it's syntax tree, which knows the line of every block, so
whatever cannot be placed is reported with its line instead of being dropped in silence.
A heading that holds a list (or a table) of links is a roadmap. Under it, list items with a
bold lead and a nested list of links are its steps, a flat list of links its resources, and
deeper headings its steps. Hour phrases ("80–100+ hours", "45 min", "~6 weeks at 10 h/week")
give the roadmap's stated total and per-resource estimates; a resource without one gets a
share of what the stated total leaves, so the estimates add up to the total.

The modules, in the order an import runs through them:

- `files`: reading the Markdown file (within its cap), the YAML document checked as the
  loader will check it, and writing it;
- `convert`: Markdown text to roadmap-file data, calling on the modules below;
- `markdown`: markdown-it with its cap on elements, and the syntax tree;
- `structure`: sections, the walk that finds the roadmaps, a roadmap's body;
- `items` and `tables`: list items and table rows as steps and resources;
- `inline`: inline pieces (text, links, emphasis), bare URLs, repairing and cleaning text;
- `hours`: hour phrases and estimates;
- `emit`: ids, kinds and the plain data of the roadmap file;
- `model`: the results and the parts of roadmaps the others pass around.

The YAML itself is written by `roadmap_cli.yamlfile.dump`.
"""

from __future__ import annotations

from roadmap_cli.importer.convert import MAX_LISTED_PROBLEMS, import_markdown
from roadmap_cli.importer.emit import ID_LENGTH, guess_kind, slugify
from roadmap_cli.importer.files import MAX_MARKDOWN_BYTES, Imported, import_file, target_path
from roadmap_cli.importer.hours import MAX_HOURS, NO_ESTIMATE_BASIS
from roadmap_cli.importer.inline import repair_text
from roadmap_cli.importer.markdown import MAX_MARKDOWN_ELEMENTS
from roadmap_cli.importer.model import VALUES_PER_RESOURCE, ImportResult, Problem

__all__ = [
    "ID_LENGTH",
    "MAX_HOURS",
    "MAX_LISTED_PROBLEMS",
    "MAX_MARKDOWN_BYTES",
    "MAX_MARKDOWN_ELEMENTS",
    "NO_ESTIMATE_BASIS",
    "VALUES_PER_RESOURCE",
    "ImportResult",
    "Imported",
    "Problem",
    "guess_kind",
    "import_file",
    "import_markdown",
    "repair_text",
    "slugify",
    "target_path",
]
