"""Every path roadmap-cli uses, and the environment variables that move them.

Roadmap files are read in this order: the shipped roadmaps (inside the package), then every
*.yaml / *.yml file in the roadmaps folder (the platform's user config folder for
"roadmap-cli", then "roadmaps": ~/.config/roadmap-cli/roadmaps on Linux), in name order, then
each file in ROADMAP_CLI_ROADMAPS (separated by the OS path separator), then each
`--roadmaps PATH`.
Progress lives in `progress.json` in the data folder: ROADMAP_CLI_DATA_DIR if set, else the
platform's user data folder for "roadmap-cli" (e.g. ~/.local/share/roadmap-cli on Linux).
Validated roadmaps are cached (cache.py) in ROADMAP_CLI_CACHE_DIR if set, else the platform's
user cache folder for "roadmap-cli"; ROADMAP_CLI_NO_CACHE turns the cache off.
The log of a bug (exit code 3) goes to the platform's user state folder for "roadmap-cli".
`ENVIRONMENT` lists every environment variable roadmap-cli reads; `roadmap where` shows each.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

from roadmap_cli.errors import RoadmapFileError

APP_NAME = "roadmap-cli"
DATA_DIR_ENV = "ROADMAP_CLI_DATA_DIR"
ROADMAPS_ENV = "ROADMAP_CLI_ROADMAPS"
LOCK_TIMEOUT_ENV = "ROADMAP_CLI_LOCK_TIMEOUT"
PROGRESS_FILE_NAME = "progress.json"
CACHE_DIR_ENV = "ROADMAP_CLI_CACHE_DIR"
NO_CACHE_ENV = "ROADMAP_CLI_NO_CACHE"
MAX_ROADMAP_BYTES = 5 * 1024 * 1024

# Why a roadmap file is loaded (Source.origin), in load order.
SHIPPED = "shipped"
FOLDER = "roadmaps folder"
ROADMAPS_OPTION = "--roadmaps"


@dataclass(frozen=True)
class Variable:
    """An environment variable roadmap-cli reads, and what it does."""

    name: str
    effect: str


ENVIRONMENT = (
    Variable(DATA_DIR_ENV, "the folder for progress.json instead of the user data folder"),
    Variable(ROADMAPS_ENV, "extra roadmap files, separated by the OS path separator"),
    Variable(
        LOCK_TIMEOUT_ENV, "seconds to wait for another roadmap command to finish; 10 if unset"
    ),
    Variable(CACHE_DIR_ENV, "the folder for the roadmap cache instead of the user cache folder"),
    Variable(NO_CACHE_ENV, "set to anything: run without the roadmap cache"),
    Variable("NO_COLOR", "set to anything: no colour in the output"),
    Variable("COLUMNS", "the width output is laid out for when it is not a terminal"),
    Variable("BROWSER", "the web browser 'roadmap open' starts"),
    Variable("TZ", "the time zone of 'roadmap plan --ics' events; the system's if unset"),
)


def environment() -> list[tuple[Variable, str | None]]:
    """Each variable of ENVIRONMENT with its value here, or None when it is not set."""
    return [(variable, os.environ.get(variable.name)) for variable in ENVIRONMENT]


@dataclass(frozen=True)
class Source:
    """A roadmap file and why it is loaded: SHIPPED, FOLDER, ROADMAPS_ENV or ROADMAPS_OPTION."""

    path: Path
    origin: str


def roadmap_sources(given: Sequence[Path] = ()) -> list[Source]:
    """Return the roadmap files to load, in load order, each file once.

    `given` are the files of `--roadmaps`, which come last.
    """
    found = (
        [Source(shipped_roadmaps(), SHIPPED)]
        + [Source(p, FOLDER) for p in folder_roadmap_files()]
        + [Source(p, ROADMAPS_ENV) for p in env_roadmap_files()]
        + [Source(p, ROADMAPS_OPTION) for p in given]
    )
    unique: dict[Path, Source] = {}
    for source in found:
        unique.setdefault(source.path.resolve(), source)
    return list(unique.values())


def data_dir() -> Path:
    """Return the folder that holds the progress file."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME)


def progress_file() -> Path:
    """Return the path of the progress file."""
    return data_dir() / PROGRESS_FILE_NAME


# A focus session open in this data folder (`roadmap focus`), and its lock beside it.
FOCUS_FILE = "focus.json"


def lock_file(progress: Path) -> Path:
    """Return the lock file that guards changes to `progress`."""
    return progress.with_name(progress.name + ".lock")


def shipped_roadmaps() -> Path:
    """Return the roadmap file that ships inside the package."""
    packaged = Path(str(resources.files("roadmap_cli").joinpath("data", "roadmaps.yaml")))
    if packaged.is_file():
        return packaged
    # Running from a source checkout: the file lives at the top of the repository.
    return Path(__file__).resolve().parents[2] / "data" / "roadmaps.yaml"


def roadmaps_folder() -> Path:
    """Return the folder whose YAML files are loaded as the user's own roadmaps."""
    return platformdirs.user_config_path(APP_NAME) / "roadmaps"


def folder_roadmap_files() -> list[Path]:
    """Return the roadmap files in the roadmaps folder, in name order."""
    folder = roadmaps_folder()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml")]
    return sorted(p for p in found if not p.name.startswith("."))


def env_roadmap_files() -> list[Path]:
    """Return the roadmap files named in ROADMAP_CLI_ROADMAPS."""
    value = os.environ.get(ROADMAPS_ENV, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]


class SpecialFileError(OSError):
    """A path that is not a regular file (a FIFO, a device): reading it might never end."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """Return at most `limit` + 1 bytes of the regular file at `path` (more means too big).

    A FIFO or a device is refused before a byte is read (opening is not blocking, so a FIFO
    without a writer does not hang), with SpecialFileError; a folder with IsADirectoryError;
    any other failure raises OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise SpecialFileError(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as f:
            fd = -1  # closed by the file object from here on
            return f.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def read_roadmap_file(path: Path) -> bytes:
    """Return the bytes of a roadmap file, or raise RoadmapFileError saying why not."""
    try:
        raw = read_regular_file(path, MAX_ROADMAP_BYTES)
    except FileNotFoundError:
        raise RoadmapFileError(path, "roadmap file not found.") from None
    except IsADirectoryError:
        raise RoadmapFileError(path, "is a folder, not a roadmap file.") from None
    except SpecialFileError:
        raise RoadmapFileError(
            path, "is not a regular file (a pipe or a device), so it is not read."
        ) from None
    except OSError as exc:
        raise RoadmapFileError(path, f"cannot read the roadmap file: {exc.strerror}.") from None
    if len(raw) > MAX_ROADMAP_BYTES:
        raise RoadmapFileError(
            path,
            f"the file is larger than {MAX_ROADMAP_BYTES // (1024 * 1024)} MiB, "
            "far more than any roadmap needs; refusing to read it.",
        )
    return raw


def cache_dir() -> Path | None:
    """Return the folder of the roadmap cache, or None when ROADMAP_CLI_NO_CACHE turns it off."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_cache_path(APP_NAME)


def state_dir() -> Path:
    """Return the folder for what roadmap-cli records about itself: the logs of bugs."""
    return platformdirs.user_state_path(APP_NAME)
