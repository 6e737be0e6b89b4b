"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s/jieba), fused by a convex combination of their scores.

Convex combination: each candidate (the union of both retrievers' top lists) scores
``w · dense' + (1 − w) · bm25'``, each score min-max normalised over the candidates, ``w`` the dense share
(settings.dense_share). Unlike reciprocal rank fusion it keeps how far apart two
candidates are, not only their order: an article BM25 ranks second by a hair and dense ranks first by far beats
one BM25 ranks first by far and dense barely finds (Bruch et al., "An Analysis of Fusion Functions for Hybrid
Retrieval", 2023). Reciprocal rank fusion stays one setting away (``fusion="rrf"``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import get_args

import numpy as np

from assistant.answer_types import asked_types, states_any
from assistant.documents import Hit
from assistant.errors import InvalidInput
from assistant.index import CorpusIndex, Snapshot
from assistant.query_expansion import expand
from assistant.ranking import CandidateRanker
from assistant.regions import regions_named
from assistant.settings import Fusion
from assistant.store.sentence_vectors import RECORDS_PER_CHUNK, chunk_similarity, owner_of
from ingest.loaders.regions import normalize_region

MAX_QUERY_CHARS = 2000
#: hybrid = dense + BM25 fused, then the second stage; fused = without it; dense, bm25 = one retriever.
MODES = ("hybrid", "fused", "dense", "bm25")
FUSIONS = get_args(Fusion)
DENSE_OVERFETCH = 2  # unfiltered dense candidates per wanted one when only the in-force filter applies
RERANK_DEPTH = 40  # candidates a ranker given explicitly re-orders when settings leave the depth at 0
#: weight of the keyword scores of expansion terms (statutory words for the question's colloquial ones) beside
#: the question's own words: evidence, but weaker than what was asked.
EXPANSION_WEIGHT = 0.5
#: weight of the keyword scores of a follow-up's context (the earlier turns its standalone query carries) beside
#: the user's own latest words: they say what the follow-up is about, not what it asks. On the dialogue sets at
#: full weight the earlier question's words outscored the follow-up's (那他们的社保呢？ after a question on labour
#: contracts found labour-contract articles); at 0.5 last-turn citations rose on the probe set (0.708 → 0.750)
#: and held on dev; at 0.3 dev lost one.
CONTEXT_WEIGHT = 0.5


@dataclass
class SearchFilters:
    """What a search may return. By default only documents in force."""

    in_force_only: bool = True
    doc_types: set[str] | None = None
    region: str | None = None
    sources: set[str] | None = None  # restrict to these documents (e.g. a follow-up on one law)

    def chroma_where(self) -> dict | None:
        clauses: list[dict] = []
        if self.in_force_only:
            clauses.append({"status": "in_force"})
        if self.doc_types:
            clauses.append({"doc_type": {"$in": sorted(self.doc_types)}})
        if self.sources:
            clauses.append({"source": {"$in": sorted(self.sources)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridRetriever:
    """Finds the right article of the right document: dense and keyword candidates, fused (settings.fusion)."""

    def __init__(self, index: CorpusIndex, mode: str = "hybrid", ranker: CandidateRanker | None = None,
                 expansion: bool | None = None, sentences: bool | None = None, region_prior: bool = True,
                 fusion: str | None = None, answer_types: bool = True):
        if mode not in MODES:
            raise InvalidInput(f"unknown retrieval mode '{mode}'; valid: {', '.join(MODES)}")
        #: convex | rrf (None = settings.fusion; the other is the baseline the eval measures beside it)
        self.fusion = fusion or index.settings.fusion
        if self.fusion not in FUSIONS:
            raise InvalidInput(f"unknown fusion '{self.fusion}'; valid: {', '.join(FUSIONS)}")
        self.index = index
        self.mode = mode
        # The learned second stage (on when settings.rerank_depth > 0, or when a ranker is given) applies to
        # the hybrid mode only: the other modes are its baselines.
        if ranker is None and index.settings.rerank_depth > 0:
            ranker = CandidateRanker()
        self.ranker = ranker if mode == "hybrid" else None
        #: add statutory terms for colloquial words to the keyword query (None = settings.query_expansion)
        self.expansion = index.settings.query_expansion if expansion is None else expansion
        #: score a chunk by its own and its best sentence's vectors (None = settings.sentence_vectors; False: its
        #: own only, a baseline). A store ingested without sentence vectors must be searched without them, or every
        #: multi-sentence chunk would be scored as if its sentences were all further than the records fetched.
        self.sentences = index.settings.sentence_vectors if sentences is None else sentences
        #: weigh local documents of regions the question is not about by settings.elsewhere_weight (hybrid and
        #: fused modes; False: a baseline without it)
        self.region_prior = region_prior and mode in ("hybrid", "fused")
        #: weigh articles stating nothing of the kind the question asks for (a period, a fine, ...) by
        #: settings.answer_type_weight (hybrid and fused modes; False: a baseline without it)
        self.answer_types = answer_types and mode in ("hybrid", "fused")

    def run(self, query: str, k: int | None = None, filters: SearchFilters | None = None,
            expand_from: str | None = None) -> SearchResult:
        """Top-``k`` hits for ``query``.

        ``expand_from``: what the user just said, when ``query`` is a follow-up's standalone query that also
        carries the earlier turns (default: ``query``). Only its colloquial phrases are expanded, and the rest of
        ``query`` scores at ``CONTEXT_WEIGHT`` in the keyword query, so that the earlier topic does not outweigh
        the new question.
        """
        query = (query or "").strip()
        if not query:
            raise InvalidInput("query is empty")
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidInput(f"query is {len(query)} characters; at most {MAX_QUERY_CHARS}")
        s = self.index.settings
        k = k or s.search_k
        if not 1 <= k <= 100:
            raise InvalidInput("k must be between 1 and 100")
        filters = filters or SearchFilters()
        snap = self.index.snapshot()
        timings: dict[str, float] = {}
        if len(snap) == 0:
            return SearchResult(query, [], timings)
        n = max(s.candidates, k)
        mask = snap.mask(filters.in_force_only, filters.doc_types, filters.region)
        if filters.sources:
            src = np.array([c.source in filters.sources for c in snap.chunks], dtype=bool)
            mask = src if mask is None else (mask & src)

        dense: list[tuple[int, float]] = []
        bm25: list[tuple[int, float]] = []
        keyword = None  # every chunk's keyword score (convex fusion scores candidates BM25 did not list)
        floor = 0.0  # no chunk outside the dense list is closer than this
        own: dict[str, float] = {}  # chunk id → its own vector's similarity, where known
        if self.mode in ("hybrid", "fused", "bm25"):
            t0 = time.perf_counter()
            said, context = _own_words(query, expand_from)
            terms = expand(query if expand_from is None else expand_from) if self.expansion else []
            bm25, keyword = self._bm25(snap, said, context, terms, n, mask)
            timings["bm25_ms"] = (time.perf_counter() - t0) * 1000
        if self.mode in ("hybrid", "fused", "dense"):
            t0 = time.perf_counter()
            vec = self.index.embedder.embed_queries([query])[0]
            timings["embed_ms"] = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            # convex fusion scores a keyword candidate the dense list lacks by its own vector: fetched with those
            # the dense list needs, in one read of the store
            also = [snap.chunks[pos].id for pos, _ in bm25] if self.fusion == "convex" else []
            dense, floor, own = self._dense(snap, vec, n, filters, mask, also)
            timings["dense_ms"] = (time.perf_counter() - t0) * 1000
        if self.fusion == "convex" and dense and bm25:
            fused = self._combine(snap, dense, floor, own, bm25, keyword)
        else:
            fused = self._fuse(snap, dense, bm25)
        if self.region_prior:
            fused = self._localize(snap, query, fused)
        if self.answer_types:
            fused = self._prefer_answer_type(query if expand_from is None else expand_from, fused)
        if self.ranker is None:
            return SearchResult(query, fused[:k], timings)
        t0 = time.perf_counter()
        candidates = fused[: max(k, s.rerank_depth or RERANK_DEPTH)]
        hits = self.ranker.rerank(query, candidates, self.dense_sims(vec, candidates))[:k]
        timings["rerank_ms"] = (time.perf_counter() - t0) * 1000
        return SearchResult(query, hits, timings)

    def dense_sims(self, vec: np.ndarray, hits: list[Hit]) -> np.ndarray:
        """The query's cosine with every candidate; those the dense list missed are read from the store."""
        missing = [h.chunk.id for h in hits if h.dense_score is None]
        found = _cosines(self.index.vectors.embeddings(missing), vec) if missing else {}
        return np.array([h.dense_score if h.dense_score is not None else found.get(h.chunk.id, 0.0) for h in hits])

    def _dense(self, snap: Snapshot, vec: np.ndarray, n: int, filters: SearchFilters, mask,
               also: list[str] = ()) -> tuple[list[tuple[int, float]], float, dict[str, float]]:
        """The nearest chunks (position, similarity), nearest first; the similarity no chunk left out reaches; and
        the own vector's similarity of every chunk where known (the nearest ones, and ``also``, read from the
        store)."""
        # Chroma's filtered search scans metadata (≈ 220 ms at 70k chunks, against ≈ 2 ms unfiltered). Superseded
        # versions are a small share of a corpus, so the in-force filter is applied here on an over-fetched
        # unfiltered list. With a narrowing filter the query keeps Chroma's filter (types and documents in
        # `chroma_where`; a region is applied here through the mask, like the live-id check).
        # A chunk's sentence records crowd the nearest ones, hence more records than chunks wanted. With sentence
        # vectors a chunk scores the mean of its own similarity and its best sentence's (sentence_vectors.py).
        narrowing = filters.doc_types or filters.sources or filters.region
        if narrowing:
            raw = self.index.vectors.query(vec, n * RECORDS_PER_CHUNK, filters.chroma_where())
        else:
            raw = self.index.vectors.query(vec, n * DENSE_OVERFETCH * RECORDS_PER_CHUNK, None)
        own: dict[str, float] = {}
        best: dict[str, float] = {}
        live: dict[str, int] = {}  # chunk id → position, nearest first
        for rid, sim in raw:
            cid = owner_of(rid)
            if cid == rid:
                own.setdefault(cid, sim)
            elif self.sentences:
                best.setdefault(cid, sim)
            else:
                continue
            pos = snap.position.get(cid)
            # Ids the manifest does not list are not live (an ingest in progress or killed): skip them.
            if pos is None or (mask is not None and not mask[pos]):
                continue
            live.setdefault(cid, pos)
        floor = raw[-1][1] if raw else 0.0  # no record left out of ``raw`` is closer than this
        missing = [cid for cid in also if cid not in own]
        sim: dict[str, float] = {}  # chunk id → its similarity (own and best sentence), where its own is known
        if self.sentences:
            # A chunk found by a sentence alone has its own vector at most ``floor`` away: read it from the store
            # only when that bound could still place it among the ``n`` nearest (most cannot).
            sim = {cid: chunk_similarity(snap.chunks[pos], own[cid], best.get(cid), floor)
                   for cid, pos in live.items() if cid in own}
            known = sorted(sim.values(), reverse=True)
            kth = known[n - 1] if len(known) >= n else -np.inf
            missing += [cid for cid, pos in live.items() if cid not in own
                        and chunk_similarity(snap.chunks[pos], floor, best.get(cid), floor) > kth]
        if missing:
            own.update(_cosines(self.index.vectors.embeddings(list(dict.fromkeys(missing))), vec))
        if not self.sentences:
            nearest = [(pos, own[cid]) for cid, pos in list(live.items())[:n]]
            return nearest, (nearest[-1][1] if len(nearest) == n else floor), own
        for cid, pos in live.items():
            if cid not in sim and cid in own:  # read from the store just now
                sim[cid] = chunk_similarity(snap.chunks[pos], own[cid], best.get(cid), floor)
        scored = [(pos, sim[cid]) for cid, pos in live.items() if cid in sim]
        scored.sort(key=lambda t: -t[1])
        return scored[:n], (scored[n - 1][1] if len(scored) >= n else floor), own

    def _bm25(self, snap: Snapshot, query: str, context: str, terms: list[str], n: int,
              mask) -> tuple[list[tuple[int, float]], np.ndarray]:
        """The best-scoring chunks (position, score), best first, and every chunk's score."""
        tokens = self.index.tokenizer(query)
        scores = snap.keyword.scores(tokens)
        if scores.size == 0:
            return [], scores
        # Each context or expansion token counts once and only if the question lacks it, at a lower weight.
        asked = set(tokens)
        for text, weight in ((context, CONTEXT_WEIGHT), (" ".join(terms), EXPANSION_WEIGHT)):
            extra = [t for t in dict.fromkeys(self.index.tokenizer(text)) if t not in asked] if text.strip() else []
            if extra:
                scores = scores + weight * snap.keyword.scores(extra)
                asked.update(extra)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, scores.size)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0], scores

    def _localize(self, snap: Snapshot, query: str, hits: list[Hit]) -> list[Hit]:
        """Local documents of a region the question is not about weigh less (``settings.elsewhere_weight``).

        The question's region is the one it names (我们是宁波的企业 → 浙江省), else the home region: the one in
        settings, or the one region of all local documents in the store (a county's deployment holds its own
        province's rules and national law). National documents are never touched.
        """
        s = self.index.settings
        if s.elsewhere_weight >= 1.0 or not any(h.chunk.region for h in hits):
            return hits
        home = normalize_region(s.home_region) or snap.sole_region
        wanted = regions_named(query) or ({home} if home else set())
        for h in hits:
            if h.chunk.region and h.chunk.region not in wanted:
                h.score *= s.elsewhere_weight
        return _best_first(hits)

    def _prefer_answer_type(self, question: str, hits: list[Hit]) -> list[Hit]:
        """Articles stating nothing of the kind ``question`` asks for weigh less (assistant/answer_types.py).

        ``question``: the user's own words (a follow-up's, not the standalone query that joins the earlier
        question: "那罚多少？" asks for a fine whatever the earlier turn asked).
        """
        weight = self.index.settings.answer_type_weight
        types = asked_types(question) if weight < 1.0 else []
        if not types:
            return hits
        for h in hits:
            if not states_any(h.chunk.text, types, question):
                h.score *= weight
        return _best_first(hits)

    def _combine(self, snap: Snapshot, dense, floor: float, own: dict[str, float], bm25,
                 keyword: np.ndarray) -> list[Hit]:
        """Convex combination of the candidates' min-max normalised dense and keyword scores (module docstring).

        A candidate only BM25 listed is scored by its stored vector (its own similarity; its sentences were not
        among the nearest records, so at most ``floor``, as the dense list scores such chunks); one only the dense
        list holds by its keyword score, which BM25 gives every chunk. Every candidate thus carries both scores.
        """
        hits = _candidates(snap, dense, bm25)
        for pos, h in hits.items():
            if h.dense_score is None:
                sim = own.get(h.chunk.id, floor)
                h.dense_score = chunk_similarity(h.chunk, sim, None, floor) if self.sentences else min(sim, floor)
            if h.bm25_score is None:
                h.bm25_score = float(keyword[pos])
        cands = list(hits.values())
        d = _min_max(np.array([h.dense_score for h in cands]))
        b = _min_max(np.array([h.bm25_score for h in cands]))
        w = self.index.settings.dense_share
        for h, ds, bs in zip(cands, d, b):
            h.score = float(w * ds + (1 - w) * bs)
        return _best_first(cands)

    def _fuse(self, snap: Snapshot, dense, bm25) -> list[Hit]:
        """Reciprocal rank fusion: each list adds its weight over ``rrf_k`` plus the candidate's rank in it."""
        s = self.index.settings
        hits = _candidates(snap, dense, bm25)
        for h in hits.values():
            if h.dense_rank:
                h.score += s.dense_weight / (s.rrf_k + h.dense_rank)
            if h.bm25_rank:
                h.score += s.bm25_weight / (s.rrf_k + h.bm25_rank)
        return _best_first(hits.values())


def _own_words(query: str, said: str | None) -> tuple[str, str]:
    """(what the user said, the context around it in ``query``): a follow-up's standalone query is what the user
    just said followed by the earlier turns; any other query is all the user's own."""
    said = (said or "").strip()
    if not said or said == query or said not in query:
        return query, ""
    return said, query.replace(said, " ", 1).strip()


def _candidates(snap: Snapshot, dense, bm25) -> dict[int, Hit]:
    """Every chunk of either list (position → hit, score 0), with its rank and score in each list it is in."""
    hits: dict[int, Hit] = {}
    for rank, (pos, sim) in enumerate(dense, 1):
        h = hits.setdefault(pos, Hit(snap.chunks[pos], 0.0))
        h.dense_rank, h.dense_score = rank, sim
    for rank, (pos, sc) in enumerate(bm25, 1):
        h = hits.setdefault(pos, Hit(snap.chunks[pos], 0.0))
        h.bm25_rank, h.bm25_score = rank, sc
    return hits


def _best_first(hits) -> list[Hit]:
    """Hits by score, ties in document and position order (deterministic)."""
    return sorted(hits, key=lambda h: (-h.score, h.chunk.source, h.chunk.position))


def _min_max(x: np.ndarray) -> np.ndarray:
    """``x`` scaled to [0, 1] (all zeros when its values are equal)."""
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _cosines(vectors: dict[str, np.ndarray], vec: np.ndarray) -> dict[str, float]:
    """Each stored vector's cosine with ``vec``, by id (one matrix product)."""
    if not vectors:
        return {}
    m = np.stack(list(vectors.values()))
    sims = m @ vec / ((np.linalg.norm(m, axis=1) * np.linalg.norm(vec)) + 1e-12)
    return dict(zip(vectors, map(float, sims)))

