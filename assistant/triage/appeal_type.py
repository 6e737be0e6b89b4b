"""The kind of appeal (诉求类型): 咨询 / 投诉 / 求助 / 建议 / 举报, from cue phrases, refined by history when trained."""

from __future__ import annotations

import re

APPEAL_TYPES = ("咨询", "投诉", "求助", "建议", "举报")

# (pattern, weight) per type. A dispatcher reads the speech act, not the topic: who is asked to do what.
_CUES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "举报": [
        (re.compile(r"举报|检举|揭发"), 4.0),
        (re.compile(r"偷排|偷偷|私自|私搭|非法|违法|违规|无证|黑作坊|三无|假冒|冒充|骗保|套保|堵死|乱倒|偷倒"), 1.2),
        (re.compile(r"请.{0,4}(查一查|查处|取缔|严查|管一管|去查)|没人管|不堪设想|出了事|万一出事"), 1.5),
        # Someone else's wrongdoing or danger, told by a witness (有人/有家…), is a report, not a complaint.
        (re.compile(r"(^|[，。；！\s])(有人|有家|有个|有伙人|一伙人|发现一家|发现有人)|(很|太|非常)危险|安全隐患|万一.{0,6}(着火|出事|爆炸)"), 1.5),
    ],
    "建议": [
        (re.compile(r"^\s*(建议|提议|呼吁)|我(们)?建议|(提|有)(个|一个|一点|几点)?建议"), 4.0),
        (re.compile(r"建议|希望.{0,12}(能|可以|增加|增设|放宽|延长|开通|允许|保留|多开|调整|出台)|能否考虑|是否可以考虑|可否|"
                    r"(能不能|能否|可不可以)(增加|增设|多开|开设|延长|放宽)"), 1.5),
    ],
    "投诉": [
        (re.compile(r"投诉|反映.{0,6}问题|态度(很|太|极)?差|爱答不理|推诿|推委|踢皮球|互相推"), 3.0),
        (re.compile(r"一直没|一直不|迟迟|还没|仍未|至今|到现在|拖了|拖欠|超期|超过.{0,6}时限|太慢|没人管|没有消息|没消息|不给办|不予|凭什么|不合理|合理吗|公平吗|说变就变|乱收费|被罚|罚款|白跑|损失"), 1.0),
        (re.compile(r"[?？!！]{2,}|这是什么|怎么回事"), 0.8),
        # Unequal or unfair treatment, and impatience with a matter already in hand.
        (re.compile(r"比.{0,6}(贵|高)|贵了|变相|敷衍|乱罚|被拒|拒绝了|到底(什么时候|多久|还要)|还要等多久"), 1.0),
    ],
    "求助": [
        (re.compile(r"求助|帮忙|帮帮|帮我们|帮助|协调|请求|麻烦.{0,10}(帮|指导|回电|回个电话)|救救"), 3.0),
        (re.compile(r"怎么办|能不能帮|能否帮|指导|对接|推荐|加快|尽快|急|来得及|延长|想想办法|回个电话"), 1.2),
        # A blocked step the enterprise cannot get past by itself: asks for a hand, not for information.
        (re.compile(r"(派|安排|来)(个)?人|教一下|怎么补办|怎么解除|(办|开|通|过|用)不了|办不下来|没法|无法|报错|通不过|"
                    r"验证失败|到底(找谁|要|先)|该找谁|向哪里反映|有没有.{0,4}办法|时间太紧|宽限|能不能先|能否先"), 1.5),
    ],
    "咨询": [
        (re.compile(r"咨询|请问|想问|想了解|问一下|打听"), 3.0),
        (re.compile(r"[吗呢][?？]?|是否|要不要|需不需要|需要.{0,8}(吗|什么|哪些)|什么条件|哪些材料|什么材料|多少|多久|多长时间|哪里|哪个部门|怎么(申请|办|交|报|弄)|如何|有没有|能不能|可不可以|[?？]"), 0.6),
        # A bare question without a question mark (typed in a hurry) is still a question.
        (re.compile(r"怎么|去哪|哪里|哪儿|什么时候|有哪些|什么条件"), 0.5),
    ],
}


def type_scores(text: str) -> dict[str, float]:
    """Cue score per appeal type (higher is more likely)."""
    scores = {t: 0.0 for t in APPEAL_TYPES}
    for appeal_type, cues in _CUES.items():
        for pattern, weight in cues:
            hits = len(pattern.findall(text))
            if hits:
                # A second and third hit add less: one strong cue outweighs many weak ones.
                scores[appeal_type] += weight * (1 + 0.3 * min(hits - 1, 2))
    # A long narrative (what happened, since when, what it cost) is rarely a plain question.
    if len(text) > 90:
        scores["咨询"] -= 1.0
    return scores


def classify_type(text: str, learned: dict[str, float] | None = None, learned_weight: float = 4.0) -> str:
    """The most likely appeal type; ``learned`` probabilities (from history) are blended in when given."""
    scores = type_scores(text)
    if learned:
        for t, p in learned.items():
            if t in scores:
                scores[t] += learned_weight * p
    best = max(APPEAL_TYPES, key=lambda t: (scores[t], -APPEAL_TYPES.index(t)))
    if scores[best] == 0.0:
        # No cue at all: a statement of a problem is most often a complaint.
        return "投诉"
    return best
