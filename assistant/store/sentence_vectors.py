"""Sentence vectors: besides its own vector, a chunk of several sentences gets one vector per sentence.

One vector for a whole article blurs it: a question about the one sentence of a long article that sets a
deadline matches that sentence far better than the article's average. Each sentence (short ones joined to the
next) is embedded with the chunk's title and chapter prefix and stored in the same collection as the chunk,
with the id ``<chunk id>#s<n>`` and the chunk's metadata plus ``owner``. A chunk's dense similarity is the mean of
its own vector's and its best sentence's (``chunk_similarity``): the best sentence finds the article, its own
vector keeps a long question's other parts in view (the best sentence alone lost follow-ups whose standalone
query joins two questions).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answers.evidence import sentences
from assistant.documents import Chunk

SEPARATOR = "#s"
#: A sentence shorter than this (characters) is joined to the next: "前款规定的期限为三十日。" alone says little.
MIN_SENTENCE_CHARS = 20
#: Records a dense query fetches per chunk it wants: a chunk's sentences crowd the nearest records (at 3, the
#: nearest records of a qa_dev question held fewer distinct chunks than wanted for some questions).
RECORDS_PER_CHUNK = 6


@dataclass(frozen=True)
class SentenceVector:
    """One sentence of a chunk: the record id, its owner chunk, the sentence and what is embedded."""

    id: str
    owner: Chunk
    text: str
    embed_text: str

    def metadata(self) -> dict:
        return {**self.owner.metadata(), "owner": self.owner.id, "unit": "sentence"}


def owner_of(record_id: str) -> str:
    """The chunk id a stored record belongs to (a chunk's own record: its id)."""
    head, sep, tail = record_id.rpartition(SEPARATOR)
    return head if sep and tail.isdigit() else record_id


def is_sentence(record_id: str) -> bool:
    return owner_of(record_id) != record_id


def has_sentences(chunk: Chunk) -> bool:
    return len(sentence_units(chunk.text)) >= 2


def chunk_similarity(chunk: Chunk, own: float, best_sentence: float | None, floor: float) -> float:
    """A chunk's dense similarity from its own vector's and its best sentence's.

    ``best_sentence`` is None when none of the chunk's sentences was among the records fetched: a chunk of one
    sentence has none (its own vector is that sentence); otherwise the best is at most ``floor``, the
    similarity of the last record fetched.
    """
    if best_sentence is None:
        best_sentence = min(own, floor) if has_sentences(chunk) else own
    return 0.5 * (own + best_sentence)


def sentence_units(text: str) -> list[str]:
    """The sentences (and 款 lines) of ``text``, a short one joined to the next."""
    units: list[str] = []
    buf = ""
    for s in sentences(text):
        buf += s
        if len(buf) >= MIN_SENTENCE_CHARS:
            units.append(buf)
            buf = ""
    if buf:
        if units:
            units[-1] += buf
        else:
            units.append(buf)
    return units


def sentence_vectors(chunks: list[Chunk]) -> list[SentenceVector]:
    """The sentence records of ``chunks``; a chunk of one sentence has none (its own vector is that sentence)."""
    out: list[SentenceVector] = []
    for c in chunks:
        units = sentence_units(c.text)
        if len(units) < 2:
            continue
        prefix = c.embed_text[: len(c.embed_text) - len(c.text)] if c.embed_text.endswith(c.text) else f"{c.title} "
        out.extend(SentenceVector(f"{c.id}{SEPARATOR}{n}", c, u, prefix + u) for n, u in enumerate(units, 1))
    return out
