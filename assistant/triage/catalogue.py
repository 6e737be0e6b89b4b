"""The department catalogue (部门目录): who handles what, read from a YAML file a deployment can replace."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import CatalogueInvalid

#: The catalogue shipped with the project (county-level departments of the shared eval set).
DEFAULT_CATALOGUE = Path(__file__).resolve().parents[2] / "corpus" / "departments.yaml"


@dataclass(frozen=True)
class Department:
    """One department: its id, name, aliases, mandates (职责), keywords and example appeals."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    mandates: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def profile(self) -> str:
        """All of the department's text in one passage (names, mandates, keywords)."""
        return "；".join([self.name, *self.aliases, *self.mandates, " ".join(self.keywords)])


@dataclass(frozen=True)
class Catalogue:
    """The departments an appeal can be dispatched to, in file order."""

    departments: tuple[Department, ...]
    source: str = ""
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({d.id: i for i, d in enumerate(self.departments)})

    @property
    def ids(self) -> list[str]:
        return [d.id for d in self.departments]

    def __len__(self) -> int:
        return len(self.departments)

    def __iter__(self):
        return iter(self.departments)

    def index(self, department_id: str) -> int:
        """Position of a department id; CatalogueInvalid when it is not in the catalogue."""
        try:
            return self._index[department_id]
        except KeyError:
            raise CatalogueInvalid(f"department {department_id!r} is not in the catalogue {self.source}") from None

    def __contains__(self, department_id: object) -> bool:
        return department_id in self._index

    def get(self, department_id: str) -> Department:
        """The department with this id."""
        return self.departments[self.index(department_id)]


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise CatalogueInvalid(f"{where}: '{key}' must be a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_catalogue(data: object, source: str = "<memory>") -> Catalogue:
    """Validate a parsed YAML document and build the catalogue."""
    if not isinstance(data, dict) or not isinstance(data.get("departments"), list) or not data["departments"]:
        raise CatalogueInvalid(f"{source}: expected a mapping with a non-empty 'departments' list")
    departments: list[Department] = []
    seen: set[str] = set()
    for n, raw in enumerate(data["departments"], 1):
        where = f"{source}: department #{n}"
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
            raise CatalogueInvalid(f"{where}: every department needs an 'id' and a 'name'")
        dept_id = str(raw["id"]).strip()
        if dept_id in seen:
            raise CatalogueInvalid(f"{where}: duplicate id {dept_id!r}")
        seen.add(dept_id)
        dept = Department(
            id=dept_id,
            name=str(raw["name"]).strip(),
            aliases=_strings(raw, "aliases", where),
            mandates=_strings(raw, "mandates", where),
            keywords=_strings(raw, "keywords", where),
            examples=_strings(raw, "examples", where),
        )
        if not (dept.mandates or dept.keywords or dept.examples):
            raise CatalogueInvalid(f"{where} ({dept_id}): needs at least one of mandates, keywords, examples")
        departments.append(dept)
    return Catalogue(tuple(departments), source=source)


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read a catalogue YAML file (the packaged one when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULT_CATALOGUE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogueInvalid(f"cannot read department catalogue {path}: {e.strerror or e}") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CatalogueInvalid(f"{path}: not valid YAML: {e}") from e
    return parse_catalogue(data, source=str(path))
