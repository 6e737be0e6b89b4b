"""File loaders: one module a format, all yielding SourceDocument.

`load_file(path, root)` picks the loader by extension. Whatever goes wrong with the file
(missing, empty, binary, undecodable, no text layer, broken zip) comes out as one LoadError
with a one-line reason, never as another exception type.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.documents import SourceDocument
from assistant.errors import LoadError
from ingest.encoding import display_path
from ingest.loaders import docx, guide, html, markdown, pdf, table, text

Loader = Callable[[Path, Path], list[SourceDocument]]

#: File extension (lower case, with the dot) → loader.
LOADERS: dict[str, Loader] = {
    ".md": markdown.load,
    ".markdown": markdown.load,
    ".txt": text.load,
    ".html": html.load,
    ".htm": html.load,
    ".docx": docx.load,
    ".pdf": pdf.load,
    ".csv": table.load,
    ".tsv": table.load,
    ".xlsx": table.load,
    ".json": guide.load,
    ".jsonl": guide.load,
    ".yaml": guide.load,
    ".yml": guide.load,
}

SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted(LOADERS))


def is_supported(path: Path) -> bool:
    """True when a loader exists for the file's extension."""
    return path.suffix.lower() in LOADERS


def load_file(path: Path, root: Path) -> list[SourceDocument]:
    """Load one file under `root` into documents; any failure is a LoadError."""
    path, root = Path(path), Path(root)
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        shown_suffix = suffix or "(none)"
        raise LoadError(
            display_path(path, root),
            f"unsupported file type {shown_suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)}",
        )
    try:
        return loader(path, root)
    except LoadError:
        raise
    except RecursionError as exc:
        raise LoadError(display_path(path, root), "file is nested too deeply to parse") from exc
    except Exception as exc:
        # Parsers of PDF, Office zips and HTML raise whatever their internals hit on damaged
        # input; callers ingesting a folder need one error type with the reason, not a crash.
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise LoadError(
            display_path(path, root), f"cannot parse {suffix} file ({type(exc).__name__}: {reason})"
        ) from exc
