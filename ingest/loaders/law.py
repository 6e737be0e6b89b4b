"""Law Markdown: `# 标题`, promulgation lines (公布/通过/施行), `<!-- INFO END -->`, then articles."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from ingest.loaders.regions import region_from_folders, region_from_title

INFO_END = "<!-- INFO END -->"

_NUM = "[一二三四五六七八九十百千零〇两0-9０-９]+"
_ARTICLE_LINE = re.compile(rf"^\s*第{_NUM}条", re.M)
_STRUCTURE_LINE = re.compile(rf"^\s*(#{{2,}}\s|第{_NUM}[编章节条]\s?)")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_LEADING_DATE = re.compile(r"^[（(\s]*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")
_PLACE = r"[\u4e00-\u9fff]{1,12}?[省市州县区]"
_ENACTING = ("通过", "公布", "发布", "修正", "修订", "修改", "颁布", "制定")

#: (pattern, authority) tried in order on a promulgation line without its date.
_AUTHORITIES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"^(?:中华人民共和国)?国务院、(?:中华人民共和国)?中央军事委员会"), "国务院、中央军事委员会"),
    (re.compile(rf"^(?:第{_NUM}届)?全国人民代表大会常务委员会"), "全国人民代表大会常务委员会"),
    (re.compile(rf"^(?:第{_NUM}届)?全国人民代表大会第{_NUM}次"), "全国人民代表大会"),
    (re.compile(r"^(?:中华人民共和国)?国务院"), "国务院"),
    # 浙江省第十届人民代表大会常务委员会…, 杭州市人民代表大会常务委员会公告…, 宁波市十五届人大常委会…
    (re.compile(rf"^(?P<place>{_PLACE})(?:第?{_NUM}届)?(?:人民代表大会常务委员会|人大常委会)"), None),
    (re.compile(rf"^(?P<place>{_PLACE})(?:第?{_NUM}届)?(?:人民代表大会|人大)第"), None),
    (re.compile(rf"^(?P<place>{_PLACE})人民政府(?:令|第{_NUM}次常务会议)"), None),
    # 国家市场监督管理总局令第11号公布, 交通部发布
    (
        re.compile(
            r"^(?:中华人民共和国)?(?P<body>[\u4e00-\u9fff]{2,20}?(?:部|总局|委员会|局|署|银行))(?:令|发布|公布)"
        ),
        None,
    ),
)


@dataclass
class LawHeader:
    """What the lines above `<!-- INFO END -->` say about a law."""

    title: str = ""
    part: str = ""  # a second `# ` heading, e.g. 民法典 files are split by 编
    promulgation: list[str] = field(default_factory=list)
    version_date: str | None = None
    effective_date: str | None = None
    authority: str | None = None


def looks_like_law(body: str) -> bool:
    """True for the law corpus format, or a `# ` titled text made of `第X条` articles."""
    if INFO_END in body:
        return True
    return body.lstrip().startswith("# ") and len(_ARTICLE_LINE.findall(body)) >= 2


def split_law(body: str) -> tuple[LawHeader, str]:
    """Parse the header lines and return them with the article text (headings kept)."""
    if INFO_END in body:
        head, _, text = body.partition(INFO_END)
        head_lines = head.splitlines()
    else:
        head_lines, text = _split_at_first_article(body)
    header = LawHeader()
    info: list[str] = []
    for raw in head_lines:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#") and not info:
            heading = line.lstrip("#").strip()
            if not header.title:
                header.title = heading
            elif not header.part:
                header.part = heading
            continue
        info.append(line)
    header.promulgation = _join_wrapped(info)
    header.version_date, header.effective_date = _dates(header.promulgation)
    header.authority = _authority(header.promulgation)
    return header, text.strip("\n").strip()


def law_region(relative: PurePath, title: str, authority: str | None) -> str | None:
    """Region from the folder (浙江地方法规 → 浙江省), else from a local authority or title."""
    region = region_from_folders(relative)
    if region:
        return region
    if authority:
        return region_from_title(authority)
    return region_from_title(title)


def authority_from_folders(relative: PurePath) -> str | None:
    """行政法规/… are the State Council's; 部门规章/<ministry>/… name the ministry."""
    parts = relative.parent.parts
    for i, folder in enumerate(parts):
        if folder == "行政法规":
            return "国务院"
        if folder == "部门规章" and i + 1 < len(parts):
            return parts[i + 1]
    return None


def _split_at_first_article(body: str) -> tuple[list[str], str]:
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if i > 0 and _STRUCTURE_LINE.match(line):
            return lines[:i], "\n".join(lines[i:])
    return lines[:1], "\n".join(lines[1:])


def _join_wrapped(lines: list[str]) -> list[str]:
    """Long titles inside promulgation lines are wrapped; glue lines not starting with a date."""
    joined: list[str] = []
    for line in lines:
        if joined and not _LEADING_DATE.match(line) and not line.startswith(("根据", "（根据", "(根据")):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def _dates(lines: list[str]) -> tuple[str | None, str | None]:
    """(latest adoption/amendment/promulgation date, effective date) as ISO strings."""
    enacted: list[str] = []
    effective: str | None = None
    for line in lines:
        found = [d for d in (_iso(m) for m in _DATE.finditer(line)) if d]
        if not found:
            continue
        if any(word in line for word in ("施行", "实施")) and not any(w in line for w in _ENACTING):
            effective = effective or found[0]
        else:
            enacted.extend(found)
    return (max(enacted) if enacted else None), effective


def _iso(match: re.Match[str]) -> str | None:
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _authority(lines: list[str]) -> str | None:
    """The body that adopted or issued the first version (批准 lines only approve)."""
    candidates = [_issuer_part(clause) for line in lines for clause in _clauses(line)]
    enacting = [rest for rest in candidates if any(word in rest for word in _ENACTING)]
    # some headers are cut short ("…第二次"): then any line naming a body will do
    for rest in enacting + candidates:
        name = _match_authority(rest)
        if name:
            return name
    return None


def _clauses(line: str) -> list[str]:
    """A line may hold several dated clauses ("…通过  2019年9月27日…批准")."""
    starts = [m.start() for m in _DATE.finditer(line)] or [0]
    starts[0] = 0
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]


def _issuer_part(line: str) -> str:
    rest = _LEADING_DATE.sub("", line).strip()
    if "批准" in rest:
        # "…国务院批准 1988年…交通部发布": the approver is not the issuer
        rest = _LEADING_DATE.sub("", rest.split("批准", 1)[1]).strip()
    return rest


def _match_authority(rest: str) -> str | None:
    for pattern, name in _AUTHORITIES:
        match = pattern.search(rest)
        if not match:
            continue
        if name:
            return name
        groups = match.groupdict()
        if "place" in groups:
            suffix = "人民政府" if "人民政府" in match.group(0) else "人民代表大会"
            if "常务委员会" in match.group(0) or "常委会" in match.group(0):
                suffix += "常务委员会"
            return groups["place"] + suffix
        return groups["body"]
    return None
