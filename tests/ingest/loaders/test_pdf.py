"""PDF: text layer read page by page; scans, encrypted and broken files refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.errors import LoadError
from ingest.loaders import pdf
from tests.ingest.loaders.pdfs import image_only_pdf, text_pdf

PAGES = [["Notice on SME support", "Article 1 Scope of the measures."], ["Article 2 Effective date (2024)."]]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_pdf(tmp_path: Path) -> None:
    path = write(tmp_path, "notice(2024-02-01).pdf", text_pdf(PAGES, title="SME Support Notice"))
    (doc,) = pdf.load(path, tmp_path)
    assert doc.title == "SME Support Notice"
    assert doc.doc_type == "text"
    assert doc.version_date == "2024-02-01"
    assert doc.meta["pages"] == 2
    for line in PAGES[0] + PAGES[1]:
        assert line in doc.text
    second = doc.meta["page_starts"][1]
    assert doc.text[second:].startswith("Article 2")
    assert "Article 1" in doc.text[:second]


def test_producer_title_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "通知.pdf", text_pdf(PAGES, title="Microsoft Word - tongzhi.docx"))
    assert pdf.load(path, tmp_path)[0].title == "通知"


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    data = image_only_pdf()
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert "/Im1" in page["/Resources"]["/XObject"]  # it really paints an image
    with pytest.raises(LoadError) as err:
        pdf.load(write(tmp_path, "scan.pdf", data), tmp_path)
    assert err.value.reason == "PDF has no text layer (scanned?)"


def test_blank_pdf_has_no_text_layer(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(LoadError) as err:
        pdf.load(write(tmp_path, "blank.pdf", buffer.getvalue()), tmp_path)
    assert err.value.reason == "PDF has no text layer (scanned?)"


def encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(PAGES))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    (doc,) = pdf.load(write(tmp_path, "locked-for-editing.pdf", encrypted("")), tmp_path)
    assert "Article 1" in doc.text


def test_password_protected_pdf(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        pdf.load(write(tmp_path, "secret.pdf", encrypted("s3cret")), tmp_path)
    assert err.value.reason == "PDF is encrypted (a password is required)"


def test_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        pdf.load(write(tmp_path, "fake.pdf", b"just text renamed to pdf"), tmp_path)
    assert err.value.reason == "not a PDF file (no %PDF header)"


def test_truncated_pdf(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        pdf.load(write(tmp_path, "cut.pdf", text_pdf(PAGES)[:120]), tmp_path)
    assert err.value.reason.startswith("broken PDF")
