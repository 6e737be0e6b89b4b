"""HTML pages: visible text only, headings kept as Markdown lines, table rows as `a | b` lines."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from assistant.documents import SourceDocument
from assistant.errors import LoadError
from ingest.encoding import read_text_with_encoding
from ingest.loaders.files import date_from_name, source_of, title_from_name

#: Never the content: code, styling, menus, site chrome.
_DROP = frozenset(
    {"script", "style", "nav", "noscript", "template", "iframe", "svg", "head", "footer", "button"}
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "form", "header", "hr", "html", "li", "main", "ol",
        "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "ul",
    }
)  # fmt: skip
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
#: A line break in the source between two Chinese characters is layout, not a space.
_CJK_WRAP = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_SITE_SUFFIX = re.compile(r"\s*(?:_|\||｜| - | — |——)\s*")
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def load(path: Path, root: Path) -> list[SourceDocument]:
    """One `text` document from an .html/.htm page."""
    source = source_of(path, root)
    decoded = read_text_with_encoding(path, root)
    soup = BeautifulSoup(decoded.text, "lxml")
    title = _page_title(soup) or title_from_name(path)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    lines = _Lines()
    lines.walk(soup)
    text = "\n\n".join(lines.done)
    if not text.strip():
        raise LoadError(source, "HTML page has no visible text")
    return [
        SourceDocument(
            source=source,
            title=title,
            doc_type="text",
            text=text,
            version_date=date_from_name(path),
            meta={"encoding": decoded.encoding},
        )
    ]


def _page_title(soup: BeautifulSoup) -> str:
    """<title> without the site name after `_`/`|`, else the first <h1>."""
    if soup.title and soup.title.get_text(strip=True):
        return _SITE_SUFFIX.split(soup.title.get_text(strip=True))[0].strip()
    h1 = soup.find("h1")
    return _clean(h1.get_text(" ")) if h1 else ""


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CJK_WRAP.sub("", text)).strip()


class _Lines:
    """Walks the tree once, cutting lines at block boundaries."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self._inline: list[str] = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, _SKIPPED_STRINGS):
                continue
            if isinstance(child, NavigableString):
                self._inline.append(str(child))
            elif isinstance(child, Tag):
                self._tag(child)

    def _tag(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self._flush()
            heading = _clean(tag.get_text(" "))
            if heading:
                self.done.append("#" * _HEADINGS[name] + " " + heading)
        elif name == "tr":
            self._flush()
            cells = [_clean(cell.get_text(" ")) for cell in tag.find_all(["td", "th"], recursive=False)]
            if any(cells):
                self.done.append(" | ".join(cells))
        elif name == "br":
            self._flush()
        elif name in _BLOCKS:
            self._flush()
            self.walk(tag)
            self._flush()
        else:
            self.walk(tag)

    def _flush(self) -> None:
        line = _clean("".join(self._inline))
        self._inline.clear()
        if line:
            self.done.append(line)
