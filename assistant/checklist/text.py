"""Chinese text helpers for matching requests to guides: tokens, bigrams, places."""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on first use

_HAN_OR_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_STOP = frozenset(
    "的 了 和 与 及 或 等 是 在 我们 我 公司 一 个 一家 要 想 需要 什么 哪些 怎么 如何 办 办理 准备 材料 交 吗 呢 还 也 "
    "这 那 就 都 把 被 对 向 从 到 给 有 没有 已经 现在 准备 打算 请问 这个 一下 可以 能 能不能 应该 "
    "申请 需 所 其 之 为 以 于 上 下 中 后 前 时 ， 。 ？ 、".split()
)


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """jieba search-mode tokens without stop words or punctuation (for BM25)."""
    out = []
    for tok in jieba.cut_for_search(text):
        tok = tok.strip().lower()
        if tok and tok not in _STOP and _HAN_OR_WORD.fullmatch(tok):
            out.append(tok)
    return tuple(out)


def bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of Han characters/letters/digits."""
    grams: set[str] = set()
    for run in _HAN_OR_WORD.findall(text.lower()):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            grams.add(run)
    return grams


def clauses(text: str) -> list[str]:
    """The request cut at sentence and clause punctuation (each clause often names one matter)."""
    return [c for c in re.split(r"[，,。；;？?！!\n]+", text) if c.strip()]


#: Everyday words for formal matter terms (办事用语): appended to a request before keyword matching.
#: Only words any enterprise uses for the term in general, not phrases of one request.
SYNONYMS: dict[str, str] = {
    # registration of a business (longer keys before the shorter ones they contain: formalise runs in order)
    "改名字": "名称变更",
    "改名": "名称变更",
    "开公司": "公司设立登记",
    "注册公司": "公司设立登记",
    "成立公司": "公司设立登记",
    "换法人": "法定代表人变更",
    "换地址": "住所变更",
    "个体户": "个体工商户",
    "民非": "民办非企业单位",
    "暂停营业": "停业",
    "停止营业": "停业",
    "重新营业": "复业",
    "重新开业": "复业",
    "恢复经营": "复业",
    "核名": "名称预先核准",
    "起名": "名称预先核准",
    "取名": "名称预先核准",
    "名字": "名称",
    "律所": "律师事务所",
    "执照": "营业执照",
    "质押": "出质",
    "招拍挂": "公开出让",
    "环评": "环境影响评价",
    "缓缴": "延期缴纳",
    "缓交": "延期缴纳",
    "晚一点交": "延期缴纳",
    "晚点交": "延期缴纳",
    "用海": "海域使用",
    "上牌": "机动车注册登记",
    "丢失": "遗失补发",
    "丢了": "遗失补发",
    "不见了": "遗失补发",
    "到期": "延续",
    "续期": "延续",
    "盖楼": "建设工程",
    "SC证": "食品生产许可",
    "恢复营业": "复业",
    "协会": "社会团体",
    "商会": "社会团体",
    "弄丢": "遗失补发",
    "过期": "延续",
    "换证": "换发",
    # tax
    "个税": "个人所得税",
    "专票": "增值税专用发票",
    "普票": "增值税普通发票",
    "开票额度": "最高开票限额",
    "发票额度": "最高开票限额",
    "发票限额": "最高开票限额",
    "纳税证明": "完税证明",
    "交税证明": "完税证明",
    "出口退税": "出口退（免）税",
    "对外付汇": "对外支付",
    # social insurance
    "社保": "社会保险",
    "医保": "医疗保险",
    "工伤险": "工伤保险",
    "退休金": "养老金",
    "生存认证": "领取养老保险待遇资格认证",
    # environment, water, land, building
    "排污证": "排污许可",
    "取水证": "取水许可",
    "防洪评价": "洪水影响评价",
    "洪评": "洪水影响评价",
    "水保方案": "水土保持方案",
    "水保验收": "水土保持设施验收",
    "工规证": "建设工程规划类许可证",
    "建工证": "建设工程规划类许可证",
    "用地规划证": "建设用地规划许可证",
    "三类人员": "安全生产管理人员",
    "安全员证": "安全生产管理人员考核合格证书",
    "挖沙": "采砂",
    "采沙": "采砂",
    "砍树": "采伐林木",
    "鱼苗": "水产苗种",
    # trades, transport
    "餐饮许可证": "食品经营许可",
    "餐饮证": "食品经营许可",
    "开药店": "药品经营许可",
    "跑运输": "道路运输经营许可",
    "大件运输": "超限运输",
    "危化品": "危险化学品",
    # other
    "高企认定": "高新技术企业认定",
    "高新认定": "高新技术企业认定",
    "高新企业": "高新技术企业",
    "软著": "软件著作权",
    "版权": "著作权",
}


def expand(text: str) -> str:
    """``text`` plus the formal terms of the everyday words it uses."""
    extra = [formal for word, formal in SYNONYMS.items() if word in text and formal not in text]
    return text if not extra else f"{text} {' '.join(extra)}"


def formalise(text: str) -> str:
    """``text`` with its everyday words replaced by their formal terms (起名 → 名称预先核准)."""
    for word, formal in SYNONYMS.items():
        text = text.replace(word, formal)
    return text
