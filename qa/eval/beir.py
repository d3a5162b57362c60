"""Evaluate on a dataset in BEIR layout: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.

BEIR judges documents, the index ranks chunks: a document scores by its best chunk (the first
place any of its chunks reaches), so the search goes deep enough in chunks to fill the
document cut-offs. The corpus is indexed from memory (no files written per document) into an
index whose manifest records the corpus sha256; a later run with the same corpus and chunker
reuses it. Query ids equal to document ids are skipped, as BEIR's own evaluator does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qa.config import Settings, load_settings
from qa.errors import QAError
from qa.eval.metrics import EvalReport, Variant, per_query, score_runs, settings_json
from qa.ingest.cleaning import clean_text
from qa.ingest.sources import Document
from qa.search.base import Hit
from qa.search.hybrid import search
from qa.store.build import build_index_from_documents
from qa.store.index import Index, load_index, reusable_index
from qa.store.integrity import sha256_file
from qa.types import Mode

__all__ = [
    "BeirData",
    "BeirError",
    "beir_measures",
    "beir_runs",
    "default_index_dir",
    "document_run",
    "evaluate_beir",
    "open_beir_index",
    "read_beir",
    "read_corpus",
]

CORPUS = "corpus.jsonl"
QUERIES = "queries.jsonl"
INDEX_ROOT = Path("index-beir")
DOC_DEPTH = 100  # documents per query: enough for R@100
CHUNK_DEPTH = 1000  # chunks searched to find DOC_DEPTH distinct documents


class BeirError(QAError, ValueError):
    """A BEIR directory that cannot be read; the message names the file."""


@dataclass(frozen=True)
class BeirData:
    name: str
    directory: Path
    split: str
    queries: dict[str, str]  # only the queries judged in the split
    qrels: dict[str, dict[str, int]]
    corpus_sha256: str
    corpus_stats: dict[str, Any]


def beir_measures() -> list:
    from ir_measures import RR, R, nDCG

    return [nDCG @ 10, R @ 100, RR @ 10]


def default_index_dir(data: BeirData) -> Path:
    return INDEX_ROOT / data.name


def _jsonl(path: Path):
    if not path.is_file():
        raise BeirError(f"no {path.name} in {path.parent} (a BEIR directory holds corpus.jsonl, "
                        "queries.jsonl and qrels/<split>.tsv)")
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BeirError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("_id"), str | int):
                raise BeirError(f"{path}:{lineno}: each line needs an \"_id\"")
            yield lineno, row


def read_beir(directory: Path, split: str = "test") -> BeirData:
    """Queries and judgments of one split, and the corpus checksum (the corpus itself is read
    only when an index has to be built)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BeirError(f"no such BEIR directory: {directory}")
    corpus = directory / CORPUS
    if not corpus.is_file():
        raise BeirError(f"no {CORPUS} in {directory}")
    qrels_path = directory / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        splits = sorted(p.stem for p in (directory / "qrels").glob("*.tsv"))
        raise BeirError(f"no qrels for split {split!r} in {directory} "
                        f"(splits: {', '.join(splits) or 'none'})")
    qrels: dict[str, dict[str, int]] = {}
    for lineno, line in enumerate(qrels_path.read_text("utf-8").splitlines(), start=1):
        cells = line.strip().split("\t")
        if not line.strip() or (lineno == 1 and not cells[-1].lstrip("-").isdigit()):
            continue  # blank, or the "query-id corpus-id score" header
        if len(cells) != 3 or not cells[2].lstrip("-").isdigit():
            raise BeirError(f"{qrels_path}:{lineno}: expected query-id, corpus-id, integer score")
        qrels.setdefault(cells[0], {})[cells[1]] = int(cells[2])
    texts = {str(row["_id"]): str(row.get("text", "")) for _, row in _jsonl(directory / QUERIES)}
    missing = sorted(set(qrels) - set(texts))
    if missing:
        raise BeirError(f"{len(missing)} judged queries are not in {QUERIES}, e.g. {missing[0]!r}")
    st = corpus.stat()
    sha = sha256_file(corpus)
    return BeirData(
        name=directory.resolve().name, directory=directory, split=split,
        queries={q: texts[q] for q in qrels}, qrels=qrels, corpus_sha256=sha,
        corpus_stats={CORPUS: {"sha256": sha, "size": st.st_size, "mtime_ns": st.st_mtime_ns}},
    )


def read_corpus(directory: Path, *, progress: bool = True) -> list[Document]:
    """The corpus as cleaned Documents, the title as the first line; empty ones dropped."""
    from tqdm.auto import tqdm

    path = Path(directory) / CORPUS
    docs, seen = [], set()
    rows = tqdm(_jsonl(path), desc="Reading corpus", unit="doc", disable=None if progress else True,
                leave=False)
    for lineno, row in rows:
        doc_id = str(row["_id"])
        if doc_id in seen:
            raise BeirError(f"{path}:{lineno}: duplicate _id {doc_id!r}")
        seen.add(doc_id)
        title = str(row.get("title") or "").strip()
        raw = f"{title}\n{row.get('text') or ''}" if title else str(row.get("text") or "")
        text = clean_text(raw)
        if text:
            digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
            docs.append(Document(source=doc_id, text=text, sha256=digest, title=title or None))
    return docs


def open_beir_index(
    data: BeirData, index_dir: Path, *, settings: Settings | None = None, embedder=None,
    progress: bool = True, rebuild: bool = False,
) -> tuple[Index, bool]:
    """(index, built): the index of `data`'s corpus in `index_dir`, reused when its manifest
    records the same corpus sha256, build settings and cleaner (and model, if `embedder` is given),
    else built from the corpus."""
    settings = settings or load_settings()
    if not rebuild:
        index = reusable_index(index_dir, CORPUS, data.corpus_sha256, settings,
                               embedder and embedder.name)
        if index is not None:
            return index, False
    docs = read_corpus(data.directory, progress=progress)
    if not docs:
        raise BeirError(f"{data.directory / CORPUS} has no documents with text")
    build_index_from_documents(
        docs, Path(index_dir), root=data.directory, inputs=[CORPUS], sources=data.corpus_stats,
        settings=settings, embedder=embedder, progress=progress,
    )
    return load_index(Path(index_dir)), True


def document_run(hits: Sequence[Hit], *, query_id: str | None = None,
                 depth: int = DOC_DEPTH) -> dict[str, float]:
    """Documents in the order their best chunk ranks; scores fall strictly with that order so
    trec_eval's tie-breaking cannot reorder them."""
    order: list[str] = []
    seen: set[str] = set()
    for hit in hits:
        doc = hit.chunk.source
        if doc in seen or doc == query_id:
            continue
        seen.add(doc)
        order.append(doc)
        if len(order) == depth:
            break
    return {doc: float(len(order) - i) for i, doc in enumerate(order)}


def beir_runs(index: Index, data: BeirData, variants: Sequence[Variant], *,
              progress: bool = True) -> dict[str, dict[str, dict[str, float]]]:
    """variant name -> query id -> document run."""
    from tqdm.auto import tqdm

    ids = list(data.queries)
    texts = [" ".join(data.queries[q].split()) or q for q in ids]
    dense = [v for v in variants if v.settings.mode is not Mode.BM25]
    vectors = index.embedder.encode(texts, progress=progress) if dense else None
    chunks = min(CHUNK_DEPTH, len(index.chunks))
    runs: dict[str, dict[str, dict[str, float]]] = {}
    bar = tqdm(total=len(ids) * len(variants), desc="Searching", unit="query",
               disable=None if progress else True, leave=False)
    for variant in variants:
        deep = replace(variant.settings, k=chunks, depth=chunks, max_k=chunks)
        use_vec = variant.settings.mode is not Mode.BM25
        run = runs[variant.name] = {}
        for i, (qid, text) in enumerate(zip(ids, texts, strict=True)):
            hits = search(index, text, deep, query_vector=vectors[i] if use_vec else None)
            run[qid] = document_run(hits, query_id=qid)
            bar.update()
    bar.close()
    return runs


def evaluate_beir(index: Index, data: BeirData, variants: Sequence[Variant], *,
                  progress: bool = True) -> EvalReport:
    """nDCG@10, R@100 and RR@10 per variant, and the queries with nothing relevant in the
    top 10, in the shape of `qa eval --json`."""
    runs = beir_runs(index, data, variants, progress=progress)
    measures = beir_measures()
    modes: dict[str, dict[str, Any]] = {}
    failures: list[dict[str, Any]] = []
    titles = {s: d.title for s, d in index.documents.items()}
    for variant in variants:
        run = runs[variant.name]
        modes[variant.name] = {
            name: None if v is None else round(v, 4)
            for name, v in score_runs(data.qrels, run, measures).items()
        }
        modes[variant.name]["queries"] = len(data.qrels)
        rr = per_query(data.qrels, run, measures[2:])[str(measures[2])]
        for qid in data.qrels:
            if rr.get(qid, 0.0) > 0:
                continue
            top = sorted(run.get(qid, {}).items(), key=lambda kv: -kv[1])[:3]
            failures.append({
                "id": qid, "question": data.queries[qid], "mode": variant.name,
                "expected": [{"doc": d, "relevance": r} for d, r in data.qrels[qid].items()
                             if r > 0],
                "returned": [{"rank": i, "doc": d, "title": titles.get(d)}
                             for i, (d, _) in enumerate(top, start=1)],
            })
    return EvalReport(
        questions=len(data.qrels), k=10, modes=modes, failures=tuple(failures),
        settings={v.name: settings_json(v.settings) for v in variants},
    )
