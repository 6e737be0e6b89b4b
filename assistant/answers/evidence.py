"""Evidence: the retrieved articles an answer may rest on, whole, and whether they support an answer at all."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.figures import asked_figures, asked_subject, states_figure
from assistant.documents import Chunk, Hit
from assistant.query_expansion import aliases, expand

_DATA = Path(__file__).resolve().parents[1] / "data"
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass
class Article:
    """One retrieved article (条), with its parts joined when the chunker split it at 款 boundaries."""

    hit: Hit
    text: str

    @property
    def chunk(self) -> Chunk:
        return self.hit.chunk

    def label(self) -> str:
        return f"《{self.chunk.title}》{self.chunk.article}".strip()


def article_key(chunk: Chunk) -> tuple[str, str]:
    """What makes two chunks the same article: its document and label (the parts of a split article share it)."""
    return chunk.source, chunk.article or chunk.id


def select_articles(hits: list[Hit], siblings: dict[tuple[str, str], list[Chunk]] | None = None,
                    limit: int = 3) -> list[Article]:
    """The first ``limit`` distinct articles of ``hits``, each with its whole text (all its parts)."""
    out: list[Article] = []
    seen: set[tuple[str, str]] = set()
    for h in hits:
        c = h.chunk
        key = article_key(c)
        if key in seen:
            continue
        seen.add(key)
        parts = (siblings or {}).get(key) or [c]
        text = "\n".join(p.text for p in sorted(parts, key=lambda p: (p.part, p.position)))
        out.append(Article(h, text))
        if len(out) >= limit:
            break
    return out


def sentences(text: str) -> list[str]:
    """The sentences (and 款 lines) of an article, in order."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def bigrams(text: str) -> set[str]:
    """Character bigrams of ``text``, whitespace removed."""
    text = re.sub(r"\s+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


#: Bigrams that say how something is asked or counted, not what it is about.
_ASKING = frozenset(
    "我们 你们 公司 企业 单位 请问 什么 怎么 怎样 如何 哪些 哪个 多少 多久 多长 长时 时间 几天 几年 能否 能不 "
    "不能 是否 是不 有没 没有 应该 需要 要求 规定 按照 依照 根据 法律 这个 那个 这种 一个 现在 已经 时候 情况 "
    "问题 一下 还是 或者 如果 的话 具体 分别 最多 最少 最长 最短 可以 应当 之内 以内 以上 以下 不得 不超 超过 "
    "比例 标准 金额 数额 幅度 范围 上限 下限 每人 每月 每年 每个 每天 每日 每次".split()
)
_NUMERAL = re.compile(r"[\d〇零一二两三四五六七八九十百千万亿%％]")
_FUNCTION_CHAR = re.compile(r"[的之了是在和或与及其等被对向从按以于而并且也就都还所]")


def subject_bigrams(text: str) -> set[str]:
    """The character bigrams of ``text`` that name what it is about: Chinese runs only, no numerals, no asking words."""
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return {g for g in out if g not in _ASKING and not _NUMERAL.search(g) and not _FUNCTION_CHAR.search(g)}


ARTICLE_LABEL = re.compile(r"^第[〇零一二两三四五六七八九十百千万\d]+条(之[一二三四五六七八九十]+)?\s*")


def best_sentence(question: str, text: str, keep: Callable[[str], bool] | None = None) -> str:
    """The sentence of ``text`` sharing the most character bigrams with ``question`` (the article label stripped).

    With ``keep``, only the sentences it accepts compete; "" when none does.
    """
    q = bigrams(question)
    best, best_score = "", -1.0
    for s in sentences(text):
        s_clean = ARTICLE_LABEL.sub("", s)
        if len(s_clean) < 4 or (keep is not None and not keep(s_clean)):
            continue
        score = len(q & bigrams(s_clean)) / (len(s_clean) ** 0.3)
        if score > best_score:
            best, best_score = s_clean, score
    return best


def figure_sentence(question: str, text: str, kinds: list[str], min_shared: int = 1) -> str:
    """The best sentence of ``text`` that states a figure of one of ``kinds`` about the question's subject, or "".

    A figure elsewhere in an article (another party's deadline, a fine's multiple) answers another question:
    the sentence stating it must name something the question names (at least ``min_shared`` subject bigrams),
    and a figure asked as "X是多少/几" must be stated about X (缴费基数, 退税率, 起征点; 有效期是几年 is not
    answered by the 30日 a department has to decide). The question's subject includes the statutory terms for its
    everyday words (年报 → 年度报告, 社保 → 社会保险): "年报最晚几号之前得报完" is answered by the sentence on
    the 年度报告, which shares no bigram with 年报.
    """
    subject = subject_bigrams(" ".join([question, *expand(question)]))
    head = asked_subject(question)

    def answers(s: str) -> bool:
        return ((head is None or head in s) and any(states_figure(s, k, question) for k in kinds)
                and len(subject & subject_bigrams(s)) >= min_shared)

    return best_sentence(question, text, keep=answers)


@lru_cache(maxsize=1)
def policy_terms() -> tuple[str, ...]:
    """Named policy concepts (专精特新, 稳岗返还, 小规模纳税人 …) from the packaged user dictionary, longest first."""
    path = _DATA / "policy_terms.txt"
    if not path.exists():
        return ()
    terms = {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.split()}
    return tuple(sorted((t for t in terms if len(t) >= 3), key=len, reverse=True))


@dataclass
class Verdict:
    """Whether the evidence supports an answer; when not, why (for logs and evals)."""

    grounded: bool
    reason: str = ""


#: A question asking which particular providers to go to (哪几家医院, 推荐几家律所, 有没有靠谱的机构推荐一下): laws
#: name criteria and departments, never particular hospitals, firms or agencies, so no article answers it.
_PROVIDER = (r"(?:医院|医疗机构|体检机构|检测机构|培训机构|机构|公司|律所|律师事务所|会计师事务所|事务所|银行|中介"
             r"|代理)")
_PROVIDERS = re.compile(rf"(?:哪[几一]?家|推荐(?:[一几两][个家]|一下)|有没有[^，。？?]{{0,6}}?(?:靠谱|推荐|便宜))[^，。？?]{{0,6}}?"
                        rf"{_PROVIDER}|{_PROVIDER}[^，。？?]{{0,4}}?推荐一下")

#: A question asking an office's contact details (电话多少, 地址在哪, 在哪儿办公): laws name the competent
#: department, never its address, telephone number or opening hours.
_CONTACT = re.compile(r"(?:电话|联系方式|地址|办公地点)[^，。？?]{0,4}?(?:多少|是什么|在哪|哪里|哪儿)|在哪[儿里]?办公|在几楼")
#: ... and its hours (窗口周六开不开门, 大厅几点下班), asked of an office: 周六上班算加班吗 is a question of law.
_HOURS = re.compile(r"开不开门|几点(?:上班|下班|开门|关门)|周[六日末][^，。？?]{0,4}?(?:上班|开门|办公)")
_OFFICE = re.compile(r"窗口|大厅|办事处|服务中心|政务中心|办公室|那边")
#: A question asking the odds of an outcome (批下来的可能性大不大, 胜算, 有几成把握), what a particular person will
#: decide (你觉得仲裁员会…), how long a queue is now (定检排队要排多久) or where a figure is going (明年会涨到多少):
#: a law states conditions and time limits, not how one case will go, an office's workload or next year's figures.
_ODDS = re.compile(r"(?:可能性|概率)(?:大不大|有多大|多大|高不高|大吗|高吗|有多少)|胜算|几成把握|把握(?:大|有多大)"
                   r"|(?:你觉得|你认为)[^，。？?]{0,12}?会(?:全部|全都|都)?(?:支持|判|批|同意|裁|调解)"
                   r"|排队[^，。？?]{0,6}?(?:多久|多长时间|几天)|能排(?:得)?上"
                   r"|(?:明年|后年|下半年)[^，。？?]{0,12}?会(?:涨|降|上调|下调|调整|提高|降低|出台|取消)")
#: A request to look up one enterprise's records (帮我查一下某某有限公司有没有被列入经营异常名录): a registry
#: answers it, not a law.
_LOOKUP = re.compile(r"(?:帮我|帮忙|给我)查[^，。？?]{0,24}?(?:有限公司|有限责任公司|股份公司|集团)")

#: Words of an article that rules on taxes in general (the tax collection law), whichever tax it is.
_TAXES_IN_GENERAL = re.compile(r"纳税|税款|税务机关")


class SupportJudge:
    """Decides when evidence is too weak to answer (calibrated on the qa dev set, see evals/qa.py).

    Signs of no basis, all cheap and deterministic:
    - no retrieved article is semantically close to the question (an off-topic question: the best dense
      similarity is below ``min_similarity``, calibrated per embedding model);
    - the question names a policy concept the corpus never mentions (e.g. a tax rule outside the loaded laws);
    - the question names policy concepts (in its words or by an abbreviation: 个税 for 个人所得税) and none of the
      top articles names any of them in its title or text: they are about something near it (an enterprise
      income tax rule for a question on individual income tax);
    - the question asks which particular providers to go to (哪几家医院, 推荐几家律所, 有没有靠谱的机构推荐):
      laws name criteria and departments, never particular hospitals or firms; nor an office's telephone or
      address, nor the odds that one case succeeds (批下来的可能性大不大);
    - the question asks for a figure (a rate, an amount, a headcount, a period, a day of the calendar) and no
      sentence of the top articles states a figure of that kind about the question's subject: the law delegates
      it ("具体比例由…规定"), states a figure of another meaning (a fine's multiple for a tax rate, a share of a
      foreign company's stock for an export rebate) or a period for a date (this year's 申报截止日 is in a notice,
      not a law), so quoting it would answer a different question.
    """

    def __init__(self, corpus_text: str = "", figure_articles: int = 3, min_similarity: float = 0.0):
        self.figure_articles = figure_articles
        self.min_similarity = min_similarity
        self.terms = policy_terms()
        self.unknown_terms = tuple(t for t in self.terms if corpus_text and t not in corpus_text)

    def judge(self, question: str, context: str, articles: list[Article]) -> Verdict:
        """``question`` is the user's own words (the figure asked), ``context`` the standalone query."""
        if not articles:
            return Verdict(False, "no article retrieved")
        closest = max((a.hit.dense_score or 0.0) for a in articles)
        if closest < self.min_similarity:  # nothing in the corpus is about this (天气, 电影, 菜谱 …)
            return Verdict(False, f"no article is close to the question (best similarity {closest:.3f})")
        if _PROVIDERS.search(question):
            return Verdict(False, "the question asks for particular providers, which no law names")
        if _CONTACT.search(question) or (_HOURS.search(question) and _OFFICE.search(question)):
            return Verdict(False, "the question asks an office's contact details, which no law states")
        if _ODDS.search(question):
            return Verdict(False, "the question asks the odds of an outcome, which no law states")
        if _LOOKUP.search(question):
            return Verdict(False, "the question asks for one enterprise's records, which no law holds")
        for term in self.unknown_terms:
            if term in context:
                return Verdict(False, f"the corpus never mentions {term}")
        named = self.named_terms(question)
        if named:
            shown = [a.chunk.title + a.text for a in articles[: self.figure_articles]]
            if not any(self.covers(text, t) for text in shown for t in named):
                return Verdict(False, f"no top article names {'/'.join(named)}")
        kinds = asked_figures(question)
        if kinds:
            top = articles[: self.figure_articles]
            if not any(states_asked_figure(a.text, kinds, context) for a in top):
                return Verdict(False, f"no {'/'.join(kinds)} figure about the question in the top articles")
        return Verdict(True)

    def covers(self, text: str, term: str) -> bool:
        """Whether an article (its title and text) is about ``term``: it names it, or ``term`` is a tax (增值税) and
        the article rules on taxes in general (纳税申报, 税款) without naming another one: the tax collection law's
        late-filing penalty covers VAT, an enterprise income tax deduction does not cover individual income tax."""
        if names_term(text, term):
            return True
        if not term.endswith("税") or not _TAXES_IN_GENERAL.search(text):
            return False
        return not any(other in text for other in self.terms if other.endswith("税") and other != term)

    def named_terms(self, question: str) -> list[str]:
        """The policy concepts ``question`` names, in its own words or by an abbreviation."""
        said = question + " " + " ".join(aliases(question))
        return [t for t in self.terms if t in said]


def names_term(text: str, term: str) -> bool:
    """Whether ``text`` names ``term``, also with a modifier inside it (信用修复 in 公共信用信息修复): both halves of
    at least two characters, up to three characters between them."""
    if term in text:
        return True
    return any(re.search(re.escape(term[:i]) + ".{1,3}?" + re.escape(term[i:]), text)
               for i in range(2, len(term) - 1))


def states_asked_figure(text: str, kinds: list[str], question: str, min_shared: int = 1) -> bool:
    """Whether a sentence of ``text`` states a figure of one of ``kinds`` about the question's subject."""
    return bool(figure_sentence(question, text, kinds, min_shared))
