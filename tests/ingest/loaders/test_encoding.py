"""ingest.encoding: UTF-8 (± BOM), GBK/GB18030, UTF-16 with BOM; binary and junk refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from assistant.errors import LoadError
from ingest.encoding import read_text, read_text_with_encoding

CHINESE = "第一条 为了优化营商环境，保护市场主体合法权益。\n第二条 本条例适用于本省。\n"


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CHINESE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "utf-8-sig"),
        (CHINESE.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "utf-16"),
    ],
)
def test_decodes_what_offices_write(tmp_path: Path, data: bytes, encoding: str) -> None:
    decoded = read_text_with_encoding(write(tmp_path, data))
    assert decoded.text == CHINESE
    assert decoded.encoding == encoding
    assert not decoded.text.startswith("\ufeff")


def test_gb18030_only_characters(tmp_path: Path) -> None:
    # 𠀀 (U+20000) does not exist in GBK; GB18030 encodes it in four bytes
    text = "生僻字𠀀测试"
    assert read_text(write(tmp_path, text.encode("gb18030"))) == text


def test_windows_line_ends_become_newlines(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, "一\r\n二\r三\n".encode("gbk"))) == "一\n二\n三\n"


def test_ascii_is_utf8(tmp_path: Path) -> None:
    assert read_text(write(tmp_path, b"plain ascii\n")) == "plain ascii\n"


def test_relative_path_in_message(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = write(tmp_path, b"", "sub/empty.txt")
    with pytest.raises(LoadError) as err:
        read_text(path, tmp_path)
    assert err.value.path == "sub/empty.txt"
    assert str(err.value) == "sub/empty.txt: empty file"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (contains NUL bytes)"),
        (b"abc \xff\xfd\xfc def\n", "not valid UTF-8 or GBK text"),
        (bytes(range(1, 32)) * 20 + b"text", "binary file (control characters in the text)"),
    ],
)
def test_refuses_bad_input(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(LoadError) as err:
        read_text(write(tmp_path, data))
    assert err.value.reason == reason
    assert err.value.code == "load_error" and err.value.status == 422


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        read_text(tmp_path / "nope.txt", tmp_path)
    assert err.value.reason == "file not found"
    assert err.value.path == "nope.txt"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        read_text(tmp_path)
    assert err.value.reason == "not a regular file"
