"""Lists (清单) in CSV and XLSX: a Record per row, headers as field names, titles found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from assistant.errors import LoadError
from ingest.loaders import table

CSV = "序号,事项名称,实施部门,办理时限\n1,企业设立登记,市场监管局,1\n2,税务登记,税务局,\n"


def test_csv_with_gbk_encoding(tmp_path: Path) -> None:
    path = tmp_path / "lists" / "涉企事项清单(2024-06-01).csv"
    path.parent.mkdir()
    path.write_bytes(CSV.encode("gbk"))
    (doc,) = table.load(path, tmp_path)
    assert doc.source == "lists/涉企事项清单(2024-06-01).csv"
    assert doc.doc_type == "list"
    assert doc.title == "涉企事项清单"
    assert doc.version_date == "2024-06-01"
    assert doc.columns == ["序号", "事项名称", "实施部门", "办理时限"]
    assert [r.fields for r in doc.records] == [
        {"序号": "1", "事项名称": "企业设立登记", "实施部门": "市场监管局", "办理时限": "1"},
        {"序号": "2", "事项名称": "税务登记", "实施部门": "税务局"},
    ]
    # the running number is not a label: the first word-like cell is
    assert [r.label for r in doc.records] == ["企业设立登记", "税务登记"]
    assert doc.meta["encoding"] == "gb18030"
    assert doc.meta["header_row"] == 1


def test_csv_title_row_semicolons_and_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        '\ufeff惠企政策清单;;\n政策名称;支持内容;备注\n稳岗返还;"返还失业保险费\n的一定比例";\n',
        encoding="utf-8",
    )
    (doc,) = table.load(path, tmp_path)
    assert doc.title == "惠企政策清单"
    assert doc.meta["header_row"] == 2
    assert doc.columns == ["政策名称", "支持内容", "备注"]
    (record,) = doc.records
    assert record.fields == {"政策名称": "稳岗返还", "支持内容": "返还失业保险费\n的一定比例"}


def test_tsv_duplicate_and_missing_headers(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("名称\t名称\t\n甲\t乙\t丙\n", encoding="utf-8")
    (doc,) = table.load(path, tmp_path)
    assert doc.columns == ["名称", "名称_2", "列3"]
    assert doc.records[0].fields == {"名称": "甲", "名称_2": "乙", "列3": "丙"}


def make_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "省级"
    first.append(["2024年省级涉企收费清单"])
    first.merge_cells("A1:D1")
    first.append(["序号", "类别", "收费项目", "批准日期"])
    first.append([1, "行政事业性收费", "特种设备检验费", dt.datetime(2023, 5, 1)])
    first.append([2, None, "计量检定费", dt.datetime(2023, 6, 2)])
    first.append([3, "经营服务性收费", "检测费", 12.5])
    first.merge_cells("B3:B4")  # one category for two rows
    first.append([])
    second = workbook.create_sheet("市级")
    second.append(["项目", "金额（元）"])
    second.append(["停车费", 10.0])
    workbook.create_sheet("空表")
    hidden = workbook.create_sheet("lookup")
    hidden.append(["code", "name"])
    hidden.append(["x", "y"])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_xlsx_each_sheet_a_document(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "收费清单.xlsx")
    docs = table.load(path, tmp_path)
    assert [d.meta["sheet"] for d in docs] == ["省级", "市级"]
    provincial, municipal = docs
    assert provincial.title == "2024年省级涉企收费清单"  # the merged title cell above the header
    assert provincial.columns == ["序号", "类别", "收费项目", "批准日期"]
    assert provincial.meta["header_row"] == 2
    assert [r.fields for r in provincial.records] == [
        {"序号": "1", "类别": "行政事业性收费", "收费项目": "特种设备检验费", "批准日期": "2023-05-01"},
        {"序号": "2", "类别": "行政事业性收费", "收费项目": "计量检定费", "批准日期": "2023-06-02"},
        {"序号": "3", "类别": "经营服务性收费", "收费项目": "检测费", "批准日期": "12.5"},
    ]
    assert municipal.title == "收费清单·市级"  # no title row: file name and sheet name
    assert municipal.records[0].fields == {"项目": "停车费", "金额（元）": "10"}
    assert all(d.source == "收费清单.xlsx" and d.doc_type == "list" for d in docs)


def test_single_default_sheet_is_titled_by_the_file(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["事项", "部门"])
    workbook.active.append(["开办", "市场监管局"])
    path = tmp_path / "事项清单.xlsx"
    workbook.save(path)
    (doc,) = table.load(path, tmp_path)
    assert doc.title == "事项清单"
    assert doc.meta["sheet"] == "Sheet"


def test_header_without_rows(tmp_path: Path) -> None:
    path = tmp_path / "only-header.csv"
    path.write_text("事项,部门\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        table.load(path, tmp_path)
    assert err.value.reason == "no rows found (a list needs a header row and at least one data row)"


@pytest.mark.parametrize(
    "data", [b"PK\x03\x04garbage", b"not a workbook at all"], ids=["zip-garbage", "not-zip"]
)
def test_broken_xlsx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        table.load(path, tmp_path)
    assert err.value.reason == "not a valid .xlsx file (not an Excel zip package)"
