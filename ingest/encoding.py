"""Decode text files the way Chinese offices write them: UTF-8 (with or without BOM), GBK/GB18030."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from assistant.errors import LoadError

#: Encodings charset-normalizer may propose that we trust; its other guesses for bytes that are
#: neither UTF-8 nor GB18030 (cp1006 Farsi, cp949 Korean, ...) are usually junk read as text.
_TRUSTED_GUESSES = frozenset({"big5", "big5hkscs", "cp950", "cp1252", "latin_1", "iso8859_15"})

#: More control characters than this share (besides tab/newlines/form feed) means binary data.
_MAX_CONTROL_SHARE = 0.01

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    """Read a file's bytes; a missing, unreadable or empty file is a LoadError."""
    shown = display_path(path, root)
    if not path.exists():
        raise LoadError(shown, "file not found")
    if not path.is_file():
        raise LoadError(shown, "not a regular file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(shown, f"cannot read file ({exc.strerror or exc})") from exc
    if not data:
        raise LoadError(shown, "empty file")
    return data


def read_text(path: Path, root: Path | None = None) -> str:
    """The text of a UTF-8/GBK file; binary, undecodable or empty files raise LoadError."""
    return read_text_with_encoding(path, root).text


def read_text_with_encoding(path: Path, root: Path | None = None) -> DecodedText:
    """Like read_text, and say which encoding was used."""
    return decode_text(read_bytes(path, root), display_path(path, root))


def decode_text(data: bytes, shown: str) -> DecodedText:
    """Decode bytes: BOM first, then strict UTF-8, then GB18030, then a trusted guess.

    Line ends come back as ``\n`` whatever the file used.
    """
    raw = _decode(data, shown)
    decoded = DecodedText(raw.text.replace("\r\n", "\n").replace("\r", "\n"), raw.encoding)
    if _looks_binary(decoded.text):
        raise LoadError(shown, "binary file (control characters in the text)")
    if not decoded.text.strip():
        raise LoadError(shown, "empty file (only whitespace)")
    return decoded


def display_path(path: Path, root: Path | None) -> str:
    """The path as shown in errors: relative to root (POSIX) when possible."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _decode(data: bytes, shown: str) -> DecodedText:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise LoadError(shown, f"not valid {encoding} text despite its byte-order mark") from exc
    # UTF-16 without a BOM is rare in practice; NULs otherwise mean an executable, image, archive...
    if b"\x00" in data:
        raise LoadError(shown, "binary file (contains NUL bytes)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return DecodedText(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding in _TRUSTED_GUESSES:
        return DecodedText(str(best), best.encoding)
    raise LoadError(shown, "not valid UTF-8 or GBK text")


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    controls = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return controls > _MAX_CONTROL_SHARE * max(len(sample), 1)
