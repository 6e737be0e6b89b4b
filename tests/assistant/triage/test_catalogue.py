from pathlib import Path

import pytest

from assistant.errors import CatalogueInvalid
from assistant.triage.catalogue import load_catalogue, parse_catalogue

from .conftest import SHARED


def test_packaged_catalogue_has_the_27_eval_departments(catalogue):
    tsv = (SHARED / "eval" / "departments.tsv").read_text(encoding="utf-8").splitlines()[1:]
    expected = {line.split("\t")[0]: line.split("\t")[1] for line in tsv if line.strip()}
    assert {d.id: d.name for d in catalogue} == expected
    for dept in catalogue:
        assert len(dept.mandates) >= 3, dept.id
        assert len(dept.keywords) >= 20, dept.id
        assert len(dept.examples) >= 3, dept.id


def test_lookup_by_id(catalogue):
    assert catalogue.get("taxation").name == "税务局"
    assert "court" in catalogue and "mars" not in catalogue
    with pytest.raises(CatalogueInvalid, match="'mars' is not in the catalogue"):
        catalogue.index("mars")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"departments": []}, "non-empty 'departments'"),
        ([1, 2], "non-empty 'departments'"),
        ({"departments": [{"id": "a"}]}, "needs an 'id' and a 'name'"),
        ({"departments": [{"id": "a", "name": "A", "keywords": ["x"]}, {"id": "a", "name": "B", "keywords": ["y"]}]},
         "duplicate id 'a'"),
        ({"departments": [{"id": "a", "name": "A", "keywords": "x"}]}, "'keywords' must be a list"),
        ({"departments": [{"id": "a", "name": "A"}]}, "needs at least one of mandates"),
    ],
)
def test_malformed_catalogues_are_rejected(data, message):
    with pytest.raises(CatalogueInvalid, match=message):
        parse_catalogue(data)


def test_unreadable_and_invalid_files(tmp_path: Path):
    with pytest.raises(CatalogueInvalid, match="cannot read department catalogue"):
        load_catalogue(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("departments: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueInvalid, match="not valid YAML"):
        load_catalogue(bad)
    assert CatalogueInvalid.status == 500
