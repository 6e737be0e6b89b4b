"""The ingestion pipeline: files → documents → chunks → vectors + tokens, incremental and atomic per file."""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.documents import Chunk, SourceDocument
from assistant.errors import HuiqiError, LoadError
from assistant.index import CorpusIndex
from assistant.store.manifest import FileEntry
from assistant.store.sentence_vectors import owner_of, sentence_vectors
from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, load_file
from ingest.lock import ingest_lock
from ingest.versions import decide_status, load_replacements, title_key


@dataclass
class FileOutcome:
    source: str
    action: str  # added | updated | unchanged | failed | removed
    chunks: int = 0
    error: str = ""


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    embedded: int = 0  # chunks whose vectors were computed (not served from the cache)
    sentences: int = 0  # sentence vectors written beside them (assistant/store/sentence_vectors.py)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    @property
    def chunks_written(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.action in ("added", "updated"))


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def discover(paths: Iterable[Path], root: Path | None = None) -> tuple[list[tuple[Path, Path]], list[FileOutcome]]:
    """(file, ingest root) pairs under ``paths``; missing paths become failures, not exceptions.

    The root of a folder is the folder itself and of a single file its parent, unless ``root`` is
    given (sources are then relative to it, e.g. a chosen subset of a larger collection).
    """
    found: list[tuple[Path, Path]] = []
    missing: list[FileOutcome] = []
    base = root.resolve() if root else None
    for p in paths:
        p = Path(p)
        if p.is_dir():
            folder = p.resolve()
            r = base or folder
            ignored = _ignore_patterns(folder)
            for f in sorted(folder.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(f, r) \
                        and not _ignored(f, folder, ignored):
                    found.append((f, r))
        elif p.is_file():
            found.append((p.resolve(), base or p.resolve().parent))
        else:
            missing.append(FileOutcome(str(p), "failed", error="no such file or directory"))
    return found, missing


IGNORE_FILE = ".huiqiignore"
STATUS_SYNC = "status_sync"  # manifest meta key: non-empty while Chroma's statuses may lag the manifest
#: manifest meta key prefix: "<prefix><source>" = "on" when the file's chunks have sentence vectors (absent: a file
#: ingested without them, or before they existed)
SENTENCE_LAYOUT = "sentence_vectors:"


def _ignore_patterns(folder: Path) -> list[str]:
    """Glob patterns (one a line, ``#`` comments) of files in a folder that are not documents, e.g. a
    department catalogue kept beside the corpus."""
    f = folder / IGNORE_FILE
    if not f.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in f.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _ignored(f: Path, folder: Path, patterns: list[str]) -> bool:
    rel = f.relative_to(folder).as_posix()
    return any(fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(f.name, pat) for pat in patterns)


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts) or f.name.lower() == "readme.md"


class Ingester:
    """Loads, chunks, embeds and stores files; one bad file never stops the others."""

    def __init__(self, index: CorpusIndex, max_chars: int = 1000):
        self.index = index
        self.max_chars = max_chars
        self._replacements = None

    def run(
        self,
        paths: Iterable[Path],
        prune: bool = False,
        force: bool = False,
        root: Path | None = None,
        on_file: Callable[[FileOutcome], None] | None = None,
        on_start: Callable[[int], None] | None = None,
        wait: float = 0.0,
    ) -> IngestReport:
        """Ingest every supported file under ``paths``; with ``prune``, forget files gone from them.

        Holds the data directory's ingest lock (waiting up to ``wait`` seconds; IngestBusy otherwise).
        """
        with ingest_lock(self.index.settings.data_dir, wait):
            return self._run(paths, prune, force, root, on_file, on_start)

    def _run(self, paths, prune, force, root, on_file, on_start) -> IngestReport:
        t0 = time.perf_counter()
        report = IngestReport()
        paths = [Path(p) for p in paths]
        files, missing = discover(paths, root)
        for o in missing:
            report.outcomes.append(o)
            if on_file:
                on_file(o)
        if on_start:
            on_start(len(files))
        self._repair_statuses()
        self._drop_orphans()
        touched_titles: set[str] = set()
        seen: set[str] = set()
        for path, file_root in files:
            source = path.relative_to(file_root).as_posix()
            seen.add(source)
            outcome = self._ingest_file(path, file_root, source, force, touched_titles, report)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
        if prune:
            roots = {str(r) for _, r in files} | {str(root.resolve() if root else p.resolve()) for p in paths if p.is_dir()}
            for entry in self.index.manifest.files():
                if entry.root in roots and entry.source not in seen:
                    touched_titles.add(title_key(entry.title))
                    ids = self.index.manifest.remove_file(entry.source)
                    self.index.vectors.delete(ids)
                    o = FileOutcome(entry.source, "removed", len(ids))
                    report.outcomes.append(o)
                    if on_file:
                        on_file(o)
        self._restatus(touched_titles)
        if any(o.action in ("added", "updated", "removed") for o in report.outcomes) or force:
            self.index.publish()
        else:
            self.index.snapshot()
        report.seconds = time.perf_counter() - t0
        return report

    # -- one file ------------------------------------------------------------------------
    def _ingest_file(self, path, root, source, force, touched_titles, report) -> FileOutcome:
        try:
            digest = file_hash(path)
        except OSError as e:
            return FileOutcome(source, "failed", error=f"cannot read: {e.strerror or e}")
        prev = self.index.manifest.file(source)
        layout = "on" if self.index.settings.sentence_vectors else ""
        # A file embedded under the other sentence-vector setting is re-embedded (its chunk vectors come from the
        # embedding cache): a store built before sentence vectors gets them for its unchanged files too.
        same_layout = (self.index.manifest.get_meta(SENTENCE_LAYOUT + source) or "") == layout
        if prev is not None and prev.file_hash == digest and same_layout and not force:
            return FileOutcome(source, "unchanged", prev.n_chunks)
        try:
            docs = load_file(path, root)
            chunks = self._chunk(docs, digest)
            if not chunks:
                raise LoadError(source, "no text to index")
        except LoadError as e:
            return FileOutcome(source, "failed", error=e.reason)
        except HuiqiError as e:
            return FileOutcome(source, "failed", error=e.message)
        except (ValueError, KeyError, IndexError, UnicodeError) as e:  # a loader/chunker bug must not stop the run
            return FileOutcome(source, "failed", error=f"{type(e).__name__}: {e}")

        head = docs[0]
        tkey = title_key(head.title)
        override = head.status
        group = [g for g in self.index.manifest.version_group(tkey) if g[0] != source]
        group.append((source, head.version_date, override))
        status = decide_status(group, replaced=self._is_replaced(tkey))[source]
        for c in chunks:
            c.status = status  # type: ignore[assignment]
        touched_titles.add(tkey)

        tokens = [self.index.tokenizer(c.embed_text) for c in chunks]
        sents = sentence_vectors(chunks) if self.index.settings.sentence_vectors else []
        vectors = self.index.embedder.embed_passages([c.embed_text for c in chunks] + [s.embed_text for s in sents])
        report.embedded += len(chunks)
        report.sentences += len(sents)
        # Vectors first, then the manifest switch (the commit point), then the old vectors go.
        self.index.vectors.upsert(chunks, vectors, sents)
        entry = FileEntry(source, digest, head.title, head.version_date, head.doc_type, status, len(chunks), str(root))
        stale = self.index.manifest.replace_file(entry, tkey, override, chunks, tokens)
        self.index.manifest.set_meta(SENTENCE_LAYOUT + source, layout)
        self.index.vectors.delete(stale)
        if prev is not None:  # chunks that kept their ids keep no sentence records of an earlier layout
            self.index.vectors.drop_sentences([c.id for c in chunks], keep={s.id for s in sents})
        return FileOutcome(source, "updated" if prev else "added", len(chunks))

    def _chunk(self, docs: list[SourceDocument], digest: str) -> list[Chunk]:
        chunks: list[Chunk] = []
        seen: set[str] = set()
        for doc in docs:
            for c in chunk_document(doc, max_chars=self.max_chars):
                # The file version is part of the id: a new version's chunks never overwrite the live ones.
                c.id = f"{c.id}.{digest[:10]}"
                if c.id in seen:
                    c.id = f"{c.id}.{len(chunks)}"
                seen.add(c.id)
                c.position = len(chunks)
                chunks.append(c)
        return chunks

    # -- versions and repair -------------------------------------------------------------
    def _is_replaced(self, tkey: str) -> bool:
        if self._replacements is None:
            self._replacements = load_replacements(self.index.settings.replacements_file)
        for r in self._replacements:
            if title_key(r.repealed) == tkey and self.index.manifest.version_group(title_key(r.replaced_by)):
                return True
        return False

    def _restatus(self, titles: set[str]) -> None:
        """Recompute in-force/superseded for every touched title (and titles they replace)."""
        if self._replacements is None:
            self._replacements = load_replacements(self.index.settings.replacements_file)
        for r in self._replacements:
            if title_key(r.replaced_by) in titles:
                titles.add(title_key(r.repealed))
        manifest = self.index.manifest
        # The manifest's status is written first; until Chroma's follows, the flag says a repair may be owed
        # (a kill in between would leave dense search filtering on a stale status).
        manifest.set_meta(STATUS_SYNC, "pending")
        for tkey in titles:
            group = manifest.version_group(tkey)
            for source, status in decide_status(group, replaced=self._is_replaced(tkey)).items():
                changed = manifest.set_status(source, status)
                if changed:
                    self.index.vectors.set_status(changed, status)
        manifest.set_meta(STATUS_SYNC, "")

    def _repair_statuses(self) -> None:
        """After an ingest killed between the two status writes: give Chroma the manifest's statuses."""
        manifest = self.index.manifest
        if not manifest.get_meta(STATUS_SYNC):
            return
        for entry in manifest.files():
            ids = manifest.chunk_ids(entry.source)
            stale = [i for i, st in self.index.vectors.statuses(ids).items() if st != entry.status]
            if stale:
                self.index.vectors.set_status(stale, entry.status)
        manifest.set_meta(STATUS_SYNC, "")

    def _drop_orphans(self) -> None:
        """Delete vectors no manifest entry lists (left by an ingest that was killed mid-file)."""
        live = self.index.manifest.all_chunk_ids()
        orphans = [i for i in self.index.vectors.ids(sentences=True) if owner_of(i) not in live]
        if orphans:
            self.index.vectors.delete(orphans)
