"""load_file: the extension registry, and every bad input coming out as one LoadError."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx as python_docx
import openpyxl
import pytest

from assistant.errors import LoadError
from ingest.loaders import LOADERS, SUPPORTED_SUFFIXES, is_supported, load_file
from tests.ingest.loaders.pdfs import image_only_pdf

TEXT_SUFFIXES = (
    ".md",
    ".markdown",
    ".txt",
    ".html",
    ".htm",
    ".csv",
    ".tsv",
    ".json",
    ".jsonl",
    ".yaml",
    ".yml",
)


def test_every_suffix_has_a_loader() -> None:
    assert set(SUPPORTED_SUFFIXES) == set(LOADERS)
    assert set(TEXT_SUFFIXES) | {".docx", ".pdf", ".xlsx"} == set(SUPPORTED_SUFFIXES)
    assert is_supported(Path("a/B.MD")) and not is_supported(Path("a.doc"))


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "old" / "scan.xyz"
    path.parent.mkdir()
    path.write_bytes(b"whatever")
    with pytest.raises(LoadError) as err:
        load_file(path, tmp_path)
    assert err.value.path == "old/scan.xyz"
    assert err.value.reason == f"unsupported file type .xyz; supported: {', '.join(SUPPORTED_SUFFIXES)}"


def test_file_without_extension(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_file(tmp_path / "README", tmp_path)
    assert err.value.reason.startswith("unsupported file type (none); supported: .csv")


def test_upper_case_extension(tmp_path: Path) -> None:
    (tmp_path / "NOTE.TXT").write_text("大写扩展名也认", encoding="utf-8")
    (doc,) = load_file(tmp_path / "NOTE.TXT", tmp_path)
    assert doc.text == "大写扩展名也认"


def assert_one_line_load_error(path: Path, root: Path) -> LoadError:
    with pytest.raises(LoadError) as err:
        load_file(path, root)
    assert "\n" not in str(err.value)
    assert str(err.value) == f"{err.value.path}: {err.value.reason}"
    return err.value


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_missing_file(tmp_path: Path, suffix: str) -> None:
    error = assert_one_line_load_error(tmp_path / f"gone{suffix}", tmp_path)
    assert (error.path, error.reason) == (f"gone{suffix}", "file not found")


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"empty{suffix}").write_bytes(b"")
    assert assert_one_line_load_error(tmp_path / f"empty{suffix}", tmp_path).reason == "empty file"


BINARY_JUNK = b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4
EXPECTED_JUNK_REASON = {
    ".docx": "not a valid .docx file (not a Word zip package)",
    ".xlsx": "not a valid .xlsx file (not an Excel zip package)",
    ".pdf": "not a PDF file (no %PDF header)",
}


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_binary_junk(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"junk{suffix}").write_bytes(BINARY_JUNK)
    error = assert_one_line_load_error(tmp_path / f"junk{suffix}", tmp_path)
    assert error.reason == EXPECTED_JUNK_REASON.get(suffix, "binary file (contains NUL bytes)")


@pytest.mark.parametrize("suffix", TEXT_SUFFIXES)
def test_undecodable_text(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"latin{suffix}").write_bytes(b"abc \xff\xfd\xfc def\n")
    assert (
        assert_one_line_load_error(tmp_path / f"latin{suffix}", tmp_path).reason
        == "not valid UTF-8 or GBK text"
    )


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(image_only_pdf())
    assert (
        assert_one_line_load_error(tmp_path / "scan.pdf", tmp_path).reason
        == "PDF has no text layer (scanned?)"
    )


def replace_member(package: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, content if name == member else source.read(name))
    return out.getvalue()


def saved(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def test_office_zip_with_damaged_xml(tmp_path: Path) -> None:
    """Parsers' own exceptions (lxml, ElementTree) still come out as a LoadError."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["a", "b"])
    workbook.active.append([1, 2])
    document = python_docx.Document()
    document.add_paragraph("x")
    (tmp_path / "d.xlsx").write_bytes(
        replace_member(saved(workbook), "xl/worksheets/sheet1.xml", b"<worksheet><cut")
    )
    (tmp_path / "d.docx").write_bytes(replace_member(saved(document), "word/document.xml", b"<w:document"))
    for name in ("d.xlsx", "d.docx"):
        error = assert_one_line_load_error(tmp_path / name, tmp_path)
        assert error.reason.startswith(f"cannot parse {Path(name).suffix} file (")


def test_enterprise_core_laws_load(laws_root: Path) -> None:
    """The documents the evaluation runs on all load as dated, titled laws with articles."""
    listing = (laws_root.parent / "enterprise-core.txt").read_text(encoding="utf-8").split()
    for relative in listing:
        (doc,) = load_file(laws_root / relative, laws_root)
        assert doc.source == relative
        assert doc.doc_type == "law" and doc.title and doc.version_date and doc.version_date in relative
        assert doc.text.lstrip("# ").startswith("第")
        assert doc.authority


DEMO_CORPUS = Path(__file__).resolve().parents[3] / "corpus"


@pytest.mark.parametrize(
    ("folder", "doc_type"), [("policies", "policy"), ("guides", "guide"), ("lists", "list")]
)
def test_demo_corpus_loads_cleanly(folder: str, doc_type: str) -> None:
    """The project's own corpus (corpus/README.md describes its formats) loads without warnings."""
    files = [p for p in sorted((DEMO_CORPUS / folder).iterdir()) if is_supported(p)]
    assert files
    for path in files:
        for doc in load_file(path, DEMO_CORPUS):
            assert doc.doc_type == doc_type and doc.title and doc.source.startswith(f"{folder}/")
            assert doc.text or doc.records
            assert not doc.meta.get("warnings")
            for record in doc.records:
                materials = record.fields.get("materials", [])
                assert all(m if isinstance(m, str) else m["name"] for m in materials)
