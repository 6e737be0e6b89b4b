"""Law chunking: one article (条, with all its 款 and 项) is one chunk, under its 编/章/节 path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.articles import article_key, parse_article_label
from ingest.chunking.base import PATH_SEP, ChunkSink, split_long_paragraph
from ingest.chunking.headings import APPENDIX, KIND_RANK, Ranker, structure_heading
from ingest.chunking.policy import chunk_policy_paragraphs

_ITEM = re.compile(r"[（(][〇零一二两三四五六七八九十百\d]+[）)]|\d{1,3}[．.、](?!\d)")
# Some sources run several articles into one paragraph ("…空间。 第十二条 …"); one is cut out only
# after a sentence end and only when it carries the next expected number, so that a reference
# inside a sentence ("依照本条例第八条　规定") never starts an article.
_RUN_ON = re.compile(r"(?<=[。；：”])[ \u3000]*(?=[第笫]\s*[〇零一二两三四五六七八九十百千]+\s*条[ \u3000])")
_CONTINUED = "（续）"
_MAX_TITLE_LINE = 20
_TITLE_LINE = re.compile(r"[\u4e00-\u9fff、“”《》（）]+")


def _is_title_line(para: str) -> bool:
    return len(para) <= _MAX_TITLE_LINE and _TITLE_LINE.fullmatch(para) is not None


@dataclass
class Article:
    """An article's label, its paragraphs (款, 项) and the chapter path it sits under."""

    label: str
    paragraphs: list[str]
    path: list[str]


@dataclass
class Loose:
    """Paragraphs outside any article (preamble, 序言, appendices) under a chapter path."""

    paragraphs: list[str]
    path: list[str]


@dataclass
class _Parser:
    blocks: list[Article | Loose] = field(default_factory=list)
    stack: list[tuple[float, str]] = field(default_factory=list)
    ranker: Ranker = field(default_factory=Ranker)
    _appendix: bool = False

    def path(self) -> list[str]:
        return [text for _, text in self.stack]

    def feed(self, para: str) -> None:
        heading = structure_heading(para)
        if heading is not None:
            rank = self.ranker.rank(heading)
            while self.stack and self.stack[-1][0] >= rank:
                self.stack.pop()
            self.stack.append((rank, heading.text))
            self._appendix = heading.kind == APPENDIX
            self.blocks.append(Loose([], self.path()))  # what follows a heading is not the last article's
            return
        label = parse_article_label(para)
        if label is not None:
            for piece in self._run_on(para, label):
                self.blocks.append(Article(parse_article_label(piece) or label, [piece], self.path()))
            return
        last = self.blocks[-1] if self.blocks else None
        if (last is None or (isinstance(last, Loose) and not last.paragraphs)) and _is_title_line(para):
            self._title_line(para)
            return
        if last is None:
            last = Loose([], self.path())
            self.blocks.append(last)
        last.paragraphs.append(para)

    def _title_line(self, para: str) -> None:
        # A heading wrapped onto a second line ("## 第五章 没有划入…的" / "军事设施的保护"), or a bare
        # "总则" line opening a law without chapters: either way a title, not a chunk of its own.
        if self.stack and not self._appendix:
            rank, text = self.stack.pop()
            self.stack.append((rank, text + para))
        elif not self.stack:
            self.stack.append((KIND_RANK["章"], para))
        else:
            self.stack.append((self.stack[-1][0] + 0.1, para))
        if self.blocks:
            self.blocks.pop()
        self.blocks.append(Loose([], self.path()))

    def _run_on(self, para: str, label: str) -> list[str]:
        pieces = [p.strip() for p in _RUN_ON.split(para) if p.strip()]
        if len(pieces) == 1:
            return pieces
        out = [pieces[0]]
        expected = article_key(label)[0] + 1
        for piece in pieces[1:]:
            next_label = parse_article_label(piece)
            if next_label is not None and article_key(next_label) == (expected, 0):
                out.append(piece)
                expected += 1
            else:
                out[-1] = f"{out[-1]} {piece}"
        return out


def parse_law(paras: list[str]) -> list[Article | Loose]:
    """Articles and loose text of a law, in order."""
    parser = _Parser()
    for para in paras:
        parser.feed(para)
    return [b for b in parser.blocks if isinstance(b, Article) or b.paragraphs]


def count_article_paragraphs(paras: list[str]) -> int:
    """How many paragraphs open an article (the test of whether a text is article-structured)."""
    return sum(1 for p in paras if parse_article_label(p) is not None)


def chunk_law_paragraphs(sink: ChunkSink, paras: list[str], max_chars: int) -> None:
    """Chunk a law's body into ``sink``: articles whole, loose text by its headings."""
    for block in parse_law(paras):
        if isinstance(block, Loose):
            chunk_policy_paragraphs(sink, block.paragraphs, max_chars, base_path=block.path)
        else:
            _add_article(sink, block, max_chars)


def _add_article(sink: ChunkSink, article: Article, max_chars: int) -> None:
    chapter = PATH_SEP.join(article.path)
    text = "\n".join(article.paragraphs)
    if len(text) <= max_chars:
        sink.add(text, article=article.label, chapter=chapter)
        return
    for i, part in enumerate(split_article(article, max_chars), start=1):
        sink.add(part, article=article.label, chapter=chapter, part=i)


def split_article(article: Article, max_chars: int) -> list[str]:
    """Texts of an over-long article's parts, cut at 款 boundaries.

    Every part after the first opens with "第X条（续）"; a part that opens in the middle of a list of
    项 also repeats the sentence that introduced the list ("有下列情形之一的："). Only a single 款
    longer than a whole part is cut inside, at sentence ends.
    """
    header = f"{article.label}{_CONTINUED}"
    paras = article.paragraphs
    parts: list[list[str]] = []
    heads: list[list[str]] = []  # the continuation header lines of each part
    current: list[str] = []
    current_head: list[str] = []

    def size(lines: list[str]) -> int:
        return len("\n".join(lines))

    for index, para in enumerate(paras):
        intro = _list_intro(paras, index)
        head = [header] + ([intro] if intro else [])
        room = max_chars - size(head) - 1
        pieces = [para] if len(para) <= room else split_long_paragraph(para, room)
        for n, piece in enumerate(pieces):
            piece_head = head if n == 0 else [header]
            opening = not parts and not current  # the first part needs no header
            if current and size(current_head + current + [piece]) > max_chars:
                parts.append(current)
                heads.append(current_head)
                current = []
                opening = False
            if not current:
                current_head = [] if opening else piece_head
            current.append(piece)
    if current:
        parts.append(current)
        heads.append(current_head)
    return ["\n".join(head + part) for head, part in zip(heads, parts, strict=True)]


def _list_intro(paras: list[str], index: int, max_len: int = 200) -> str:
    """The paragraph that introduces the 项 list that ``paras[index]`` belongs to, if it is an item."""
    if index == 0 or not _ITEM.match(paras[index]):
        return ""
    for para in reversed(paras[:index]):
        if _ITEM.match(para):
            continue
        if para.rstrip().endswith(("：", ":")) and len(para) <= max_len:
            return para
        return ""
    return ""
