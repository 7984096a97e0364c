"""Import roadmaps written in Markdown: headings, lists of links, tables and hour phrases.

The structure comes from markdown-it's syntax tree, which knows the line of every block, so
whatever cannot be placed is reported with its line instead of being dropped in silence.

A document is read as a person reads a GitHub README. Its table of contents (a Contents
section, or a list whose links all point to #anchors) goes silently; sections that are not
the path (Contributing, License, Credits, Sponsors, Code of Conduct...) go and are named once
in `ImportResult.skipped`; badges, images, #anchor and mailto: links are never resources.
A heading's own numbering ("1.", "Step 1:", "Phase 2 —", "Part IV.") is not in its title.

One document is one roadmap: its H1 (or its only top heading, or the file's name) titles
it, its first paragraph is the summary, and its headings, nested headings ("Web:
Frameworks") and bold or category leads over links are its steps. A document holds several
paths when a heading under the title names itself a roadmap or path or states its own hours
("Long Learning Roadmap (80–100+ hours)"); then each such heading is a roadmap, and the
text before them the guide's overview.

Under a roadmap, list items with a bold lead and a nested list of links are its steps, a
flat list of links its resources, and deeper headings its steps. Hour phrases ("80–100+
hours", "45 min", "~6 weeks at 10 h/week"; "3 days" and "2 weeks" in items and columns, at
the `Rates` given) give the stated totals of roadmaps and steps (in their headings, or in
their introductions: "Total time: about 60–80 hours") and the resources' estimates; a
resource without one gets a share of what a stated total leaves, so the estimates add up to
the total, and with no total it gets none (none is made up). `ImportResult.counts` says how
many of each there were. A resource's kind is what the text says (a Type / Kind /
Format / Category / Medium column, "📘 Book:", "[Video]", "(course)", a "Books" category, a
description's "Free book on..."), and only failing that guessed from its title and host.
The same URL twice in one roadmap is one resource.

The modules, in the order an import runs through them:

- `files`: reading the Markdown file (within its cap), the YAML document checked as the
  loader will check it, and writing it;
- `convert`: Markdown text to roadmap-file data, calling on the modules below;
- `markdown`: markdown-it with its cap on elements, and the syntax tree;
- `structure`: sections, what is not the path, the walk that finds the roadmaps;
- `body`: a roadmap's summary, note, steps and resources, and the prose around them;
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
from roadmap_cli.importer.hours import HOURS_PER_DAY, HOURS_PER_WEEK, MAX_HOURS, Rates
from roadmap_cli.importer.inline import repair_text
from roadmap_cli.importer.markdown import MAX_MARKDOWN_ELEMENTS
from roadmap_cli.importer.model import VALUES_PER_RESOURCE, Counts, ImportResult, Problem

__all__ = [
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "ID_LENGTH",
    "MAX_HOURS",
    "MAX_LISTED_PROBLEMS",
    "MAX_MARKDOWN_BYTES",
    "MAX_MARKDOWN_ELEMENTS",
    "VALUES_PER_RESOURCE",
    "Counts",
    "ImportResult",
    "Imported",
    "Problem",
    "Rates",
    "guess_kind",
    "import_file",
    "import_markdown",
    "repair_text",
    "slugify",
    "target_path",
]
