"""What kind of answer a question expects (a period, an amount, a rate, a count, a sanction) and whether an
article can give it.

An enterprise asking "几天之内要报备？" needs the article that sets the days, not its neighbour on the same
subject that only says what to report; one asking "被查到会怎么罚？" needs the article with the penalty. Dense and
keyword scores both match the subject and miss the kind of answer, so the article that answers often ranks
second behind one that cannot. Question answering systems have long checked the answer type: the question's
wording tells the type it expects, and a passage with no expression of that type cannot hold the answer. Here it
is a soft prior, not a filter: the retriever multiplies the fused score of an article that states nothing of an
asked type by ``settings.answer_type_weight``. The figure kinds are those of ``assistant.figures``, which also
choose the sentence an answer leads with.
"""

from __future__ import annotations

import re

from assistant.figures import asked_figures, states_figure

#: 怎么罚 / 会被罚吗 / 罚多少 / 什么处罚 / 承担什么责任 ask for a sanction; an article giving one names it. (罚多少
#: is not asked as an amount: the support judge would then want the fine's sentence to name the question's
#: subject, and a penalty article names the duty it punishes by its article number, not in the question's words.)
#: So do 会怎么样 / 什么后果 after a breach ("没验收就投产了，会怎么样？"): measured on the dialogue sets, where
#: they are the common way to ask a follow-up's penalty, last-turn citations rose (dev 0.864 → 0.909, probe
#: 0.667 → 0.708) for one qa_dev question whose answer moved to a neighbouring penalty article.
_ASKS_SANCTION = re.compile(r"怎么罚|如何处罚|被罚|罚多少|罚几|罚款多少|多少罚款|罚金多少|怎么处理|如何处理|什么处罚|处罚|罚吗"
                            r"|法律责任|什么责任|承担责任|会怎么样|会怎样|什么后果|有何后果")
_STATES_SANCTION = re.compile(r"罚款|处罚|责令|吊销|没收|警告|法律责任|处分|追究")
SANCTION = "sanction"


def asked_types(question: str) -> list[str]:
    """The answer types ``question`` asks for: figure kinds (assistant.figures) and ``sanction``; may be empty."""
    types = asked_figures(question)
    if _ASKS_SANCTION.search(question):
        types.append(SANCTION)
    return types


def states_any(text: str, types: list[str], question: str = "") -> bool:
    """Whether ``text`` gives an answer of at least one of ``types`` (to ``question``, when given)."""
    return any(bool(_STATES_SANCTION.search(text)) if t == SANCTION else states_figure(text, t, question)
               for t in types)
