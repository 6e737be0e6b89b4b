"""Word .docx files written by python-docx in the test."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from assistant.errors import LoadError
from ingest.loaders import docx


def make_docx(path: Path, core_title: str = "") -> Path:
    document = python_docx.Document()
    document.core_properties.title = core_title
    document.add_paragraph("关于促进民营经济发展的实施意见", style="Title")
    document.add_heading("一、总体要求", level=1)
    document.add_paragraph("坚持两个毫不动摇。")
    document.add_paragraph("")  # empty paragraphs are not text
    local = document.styles.add_style("标题 2", WD_STYLE_TYPE.PARAGRAPH)
    local.base_style = document.styles["Normal"]
    document.add_paragraph("（一）优化营商环境", style=local)
    table = document.add_table(rows=3, cols=3)
    rows = [("事项", "部门", "时限"), ("企业开办", "市场监管局", "1个工作日"), ("", "", "")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "合并的说明"
    table.cell(2, 2).text = "另计"
    document.add_paragraph("附件：申请表")
    document.save(path)
    return path


def test_paragraphs_headings_tables_in_order(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "实施意见.docx")
    (doc,) = docx.load(path, tmp_path)
    assert doc.title == "关于促进民营经济发展的实施意见"
    assert doc.doc_type == "text"
    assert doc.source == "实施意见.docx"
    assert doc.text.split("\n\n") == [
        "# 一、总体要求",
        "坚持两个毫不动摇。",
        "## （一）优化营商环境",
        "事项 | 部门 | 时限",
        "企业开办 | 市场监管局 | 1个工作日",
        "合并的说明 | 另计",
        "附件：申请表",
    ]


def test_core_property_title_wins(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "x.docx", core_title="文档属性里的标题")
    assert docx.load(path, tmp_path)[0].title == "文档属性里的标题"


def test_untitled_document_takes_the_file_name(tmp_path: Path) -> None:
    document = python_docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("正文一段。")
    path = tmp_path / "会议纪要(2024-01-02).docx"
    document.save(path)
    (doc,) = docx.load(path, tmp_path)
    assert (doc.title, doc.version_date, doc.text) == ("会议纪要", "2024-01-02", "正文一段。")


def test_document_without_text(tmp_path: Path) -> None:
    document = python_docx.Document()
    document.add_paragraph("   ")
    path = tmp_path / "blank.docx"
    document.save(path)
    with pytest.raises(LoadError) as err:
        docx.load(path, tmp_path)
    assert err.value.reason == "Word document has no text"


def zip_with(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip archive",
        b"plain text saved as .docx",
        zip_with("a.txt", b"hello"),
    ],
    ids=["zip-garbage", "not-a-zip", "zip-without-word-parts"],
)
def test_broken_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        docx.load(path, tmp_path)
    assert err.value.reason == "not a valid .docx file (not a Word zip package)"
