"""Policy chunking: a heading with its body is a chunk; tiny siblings merge, long sections split."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.chunking.base import PATH_SEP, ChunkSink, pack
from ingest.chunking.headings import Heading, Ranker, policy_heading

#: Sibling sections shorter than this are merged with their neighbours (as a share of max_chars).
_TINY_SHARE = 0.1
_MAX_MERGED_LABEL = 60


@dataclass
class Section:
    """A heading, the paragraphs under it, and its sub-sections."""

    heading: Heading | None
    body: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text if self.heading else ""

    def own_lines(self) -> list[str]:
        # An inline heading is the lead of the first body paragraph: do not say it twice.
        shown = self.heading is not None and not self.heading.inline
        return ([self.heading.text] if shown else []) + self.body

    def lines(self) -> list[str]:
        out = self.own_lines()
        for child in self.children:
            out.extend(child.lines())
        return out

    def size(self) -> int:
        return len("\n".join(self.lines()))


def build_sections(paras: list[str], skip_title: str = "") -> Section:
    """Nest paragraphs under their headings by rank; a heading closes every section at its rank or deeper."""
    root = Section(None)
    stack: list[tuple[float, Section]] = [(0.0, root)]
    ranker = Ranker()
    for para in paras:
        heading = policy_heading(para)
        if heading and heading.level == 1 and heading.text == skip_title:
            continue  # the document's own "# 标题" line
        if heading is None:
            stack[-1][1].body.append(para)
            continue
        rank = ranker.rank(heading)
        while len(stack) > 1 and stack[-1][0] >= rank:
            stack.pop()
        section = Section(heading, [para] if heading.inline else [])
        stack[-1][1].children.append(section)
        stack.append((rank, section))
    return root


def chunk_policy_paragraphs(
    sink: ChunkSink, paras: list[str], max_chars: int, base_path: list[str] | None = None
) -> None:
    """Chunk paragraphs by their headings into ``sink``; ``base_path`` is the enclosing chapter path."""
    root = build_sections(paras, skip_title=sink.doc.title)
    _emit(sink, root, list(base_path or []), max_chars)


def _emit(sink: ChunkSink, section: Section, path: list[str], max_chars: int) -> None:
    if section.heading is not None and section.size() <= max_chars:
        _add(sink, section.lines(), section.title, path)
        return
    if section.body or (section.heading and not section.children):
        _add_split(sink, section.own_lines(), section.title, path, max_chars)
    child_path = path + [section.title] if section.heading else path
    for group in _merge_tiny(section.children, max_chars):
        if len(group) == 1:
            _emit(sink, group[0], child_path, max_chars)
        else:
            lines = [line for s in group for line in s.lines()]
            _add(sink, lines, _merged_label(group), child_path)


def _merge_tiny(children: list[Section], max_chars: int) -> list[list[Section]]:
    """Group consecutive siblings that fit whole when one side of each join is tiny."""
    tiny = max(40, int(max_chars * _TINY_SHARE))
    groups: list[list[Section]] = []
    group_size = 0
    for child in children:
        size = child.size()
        if groups and size <= max_chars and group_size <= max_chars:
            fits = group_size + 1 + size <= max_chars
            if fits and (group_size < tiny or size < tiny):
                groups[-1].append(child)
                group_size += 1 + size
                continue
        groups.append([child])
        group_size = size
    return groups


def _merged_label(group: list[Section]) -> str:
    label = "；".join(s.title for s in group if s.title)
    return label if len(label) <= _MAX_MERGED_LABEL else label[: _MAX_MERGED_LABEL - 1] + "…"


def _add(sink: ChunkSink, lines: list[str], article: str, path: list[str]) -> None:
    chapter = PATH_SEP.join(path)
    sink.add("\n".join(lines), article=article, chapter=chapter, key=chapter)


def _add_split(sink: ChunkSink, lines: list[str], article: str, path: list[str], max_chars: int) -> None:
    """One chunk, or parts at paragraph boundaries each repeating the heading as "heading（续）"."""
    if not lines:
        return
    text = "\n".join(lines)
    chapter = PATH_SEP.join(path)
    if len(text) <= max_chars:
        sink.add(text, article=article, chapter=chapter, key=chapter)
        return
    header = f"{article}（续）" if article else ""
    limit = max_chars - (len(header) + 1 if header else 0)
    for i, part in enumerate(pack(lines, limit, first_limit=max_chars), start=1):
        body = "\n".join(part)
        shown = body if i == 1 or not header else f"{header}\n{body}"
        sink.add(shown, article=article, chapter=chapter, part=i, key=chapter)
