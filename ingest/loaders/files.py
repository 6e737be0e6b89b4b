"""What every loader needs about its file: its source name, its bytes, a title from its name."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.encoding import display_path

#: `标题(2021-06-10).md`: the version date the law corpus puts in its file names.
_DATED_STEM = re.compile(r"^(?P<title>.+?)\s*[（(](?P<date>\d{4}-\d{2}-\d{2})[)）]$")


def source_of(path: Path, root: Path) -> str:
    """The document's source: its path relative to the ingest root, POSIX separators."""
    return display_path(path, root)


def title_from_name(path: Path) -> str:
    """A title from the file name, without its extension or a `(YYYY-MM-DD)` suffix."""
    stem = path.stem.strip()
    match = _DATED_STEM.match(stem)
    return match.group("title") if match else stem


def date_from_name(path: Path) -> str | None:
    """The ISO date in a `标题(YYYY-MM-DD).ext` file name, if any."""
    match = _DATED_STEM.match(path.stem.strip())
    return match.group("date") if match else None
