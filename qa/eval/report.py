"""The terminal tables (and the Recall@k plot) of `qa eval` and `qa tune`.

The command line's side of evaluation: `qa.eval.evaluate`, `qa.eval.beir` and `qa.eval.tune` compute
and return reports; how a report reads on a terminal is decided here, next to `qa.cli`,
so the libraries carry no wording of the command's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.eval.beir import BeirData
from qa.eval.metrics import EvalReport
from qa.eval.squad import SquadReport
from qa.eval.tune import DEFAULT, ChunkRow, TuneReport

__all__ = ["plot_recall", "recall_title", "render_beir", "render_chunks", "render_eval",
           "render_squad", "render_squad_retrieval", "render_tune"]

# Terminal headers in the words of the issue; --json keeps the ir-measures names.
_HEADERS = {"Success@1": "Hit@1", "Success@5": "Hit@5", "RR@10": "MRR@10",
            "answer_accuracy": "Answer", "no_answer_precision": "NoAns-P",
            "no_answer_recall": "NoAns-R"}


# -- qa eval ---------------------------------------------------------------------------------


def render_eval(report: EvalReport, *, max_failures: int = 30,
                plotted: Path | None = None) -> str:
    """The metrics table, then what each mode got wrong; last, where the Recall@k curves
    went, if they were `plotted`."""
    lines = [f"{report.questions} questions, "
             f"{next(iter(report.modes.values()))['answerable']} answerable; k = {report.k}",
             *_metrics_table(report, [n for n in next(iter(report.modes.values()))
                                      if n != "answerable"])]
    for mode in report.modes:
        lines += _render_failures(report, mode, max_failures)
    if plotted is not None:
        lines.append(f"\nRecall@k curves → {plotted}")
    return "\n".join(lines)


def _metrics_table(report: EvalReport, names: Sequence[str]) -> list[str]:
    """A header and one row per mode of the metrics `names`."""
    width = max(8, *(len(m) for m in report.modes))
    heads = [_HEADERS.get(n, n) for n in names]
    lines = ["mode".ljust(width) + "".join(h.rjust(9) for h in heads)]
    for mode, metrics in report.modes.items():
        cells = ["—" if metrics[n] is None else f"{metrics[n]:.3f}" for n in names]
        lines.append(mode.ljust(width) + "".join(c.rjust(9) for c in cells))
    return lines


def _render_failures(report: EvalReport, mode: str, limit: int) -> list[str]:
    failures = [f for f in report.failures if f["mode"] == mode]
    # An answerable question whose passage was found but got no answer is listed only as a
    # count: until answer extraction lands that is every question.
    silent = [f for f in failures if f["retrieved"] and f["answer"] is None]
    shown = [f for f in failures if f not in silent]
    if not failures:
        return [f"\n{mode}: no failures"]
    out = [f"\n{mode}: {len(shown)} failed"
           + (f" (+ {len(silent)} found but unanswered)" if silent else "")]
    for f in shown[:limit]:
        out.append(f"  {f['id']}  {f['question']}\n      {_why(f)}")
        if f["answer"]:
            out.append(f"      answered: {f['answer']['text']!r} ({f['answer']['source']})")
        if f["passages"]:
            p = f["passages"][0]
            text = " ".join(p["text"].split())
            out.append(f"      got [1] {p['source']} {p['start']}–{p['end']}: "
                       f"{text[:110]}{'…' if len(text) > 110 else ''}")
    if len(shown) > limit:
        out.append(f"  … and {len(shown) - limit} more (see --json)")
    return out


def _why(f: dict[str, Any]) -> str:
    """What went wrong with one failed question, in a line."""
    if f["answerable"] and not f["retrieved"]:
        where = (f"first relevant passage at rank {f['first_relevant_rank']}"
                 if f["first_relevant_rank"]
                 else f"no relevant passage in the top {f['searched']}")
        return f"expected {' | '.join(f['expected_text']) or f['expected'][0]}; {where}"
    if f["answerable"]:
        return f"wrong answer; expected {' | '.join(f['expected_text'])}"
    return "unanswerable, but an answer was given"


def recall_title(path: Path, report: EvalReport) -> str:
    """The plot's title: the question set and how many of its questions count."""
    answerable = next(iter(report.modes.values()))["answerable"]
    return f"Recall@k, {path.name} ({answerable} answerable questions)"


def plot_recall(curves: Mapping[str, Sequence[float]], path: Path, *, title: str) -> Path:
    """Recall@k against k, one line per mode, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=name)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, max(len(v) for v in curves.values()) + 1))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(title)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def render_beir(report: EvalReport, data: BeirData, *, max_failures: int = 10) -> str:
    """The metrics table of a BEIR dataset, then the queries each mode found nothing for."""
    names = [n for n in next(iter(report.modes.values())) if n != "queries"]
    width = max(8, *(len(m) for m in report.modes))
    lines = [f"BEIR {data.name} ({data.split}): {report.questions} queries",
             "mode".ljust(width) + "".join(n.rjust(10) for n in names)]
    for mode, metrics in report.modes.items():
        cells = ["—" if metrics[n] is None else f"{metrics[n]:.3f}" for n in names]
        lines.append(mode.ljust(width) + "".join(c.rjust(10) for c in cells))
    for mode in report.modes:
        failed = [f for f in report.failures if f["mode"] == mode]
        lines.append(f"\n{mode}: {len(failed)} queries with nothing relevant in the top 10")
        for f in failed[:max_failures]:
            got = ", ".join(r["doc"] for r in f["returned"]) or "nothing"
            want = ", ".join(e["doc"] for e in f["expected"])
            lines.append(f"  {f['id']}  {f['question'][:90]}\n      expected {want}; got {got}")
        if len(failed) > max_failures:
            lines.append(f"  … and {len(failed) - max_failures} more (see --json)")
    return "\n".join(lines)


_SQUAD = [("em", "EM"), ("f1", "F1"), ("forced_em", "EM-f"), ("forced_f1", "F1-f"),
          ("sentence", "Sent"), ("no_answer_precision", "NoAns-P"), ("no_answer_recall", "NoAns-R"),
          ("score_auc", "AUC"), ("hit@1", "Hit@1")]


def render_squad(reports: Mapping[str, SquadReport], *, max_failures: int = 15) -> str:
    """Reading and retrieval figures per mode, by answer type, then failures of the last."""
    first = next(iter(reports.values()))
    k = first.k
    cols = [*_SQUAD, (f"hit@{k}", f"Hit@{k}"), ("mrr", f"MRR@{k}")]
    lines = [f"SQuAD, open setting: {first.questions} questions ({first.answerable} answerable) "
             f"against {len(first.articles)} articles; k = {k}",
             "EM, F1 over all questions as answered (declining an unanswerable one is right); "
             "EM-f, F1-f, Sent: answerable ones, the reader forced to answer",
             "mode".ljust(8) + "".join(h.rjust(9) for _, h in cols)]
    for mode, report in reports.items():
        cells = ["—" if report.figures[key] is None else f"{report.figures[key]:.3f}"
                 for key, _ in cols]
        lines.append(mode.ljust(8) + "".join(c.rjust(9) for c in cells))
    for mode, report in reports.items():
        lines.append(f"\n{mode}, answerable questions by what they ask for:")
        for kind, f in report.by_type.items():
            lines.append(f"  {kind:<12}{f['questions']:>6}  EM-f {f['forced_em']:.3f}  "
                         f"F1-f {f['forced_f1']:.3f}  Sent {f['sentence']:.3f}")
    mode, report = list(reports.items())[-1]
    lines.append(f"\n{mode}: {len(report.failures)} failures")
    for f in report.failures[:max_failures]:
        got = "declined" if f["declined"] else repr(f["answer"][:60])
        want = " | ".join(f["gold"][:3]) or "(no answer)"
        lines.append(f"  {f['id'][:10]}  {f['question'][:80]}\n      gold {want}; got {got}; "
                     f"forced {f['forced'][:60]!r}")
    if len(report.failures) > max_failures:
        lines.append(f"  … and {len(report.failures) - max_failures} more (see --json)")
    return "\n".join(lines)


def render_squad_retrieval(report: EvalReport) -> str:
    """Retrieval per mode on the SQuAD questions just read (qa.eval.squad_retrieval)."""
    names = [n for n in next(iter(report.modes.values()))
             if n != "answerable" and "answer" not in n]
    judged = next(iter(report.modes.values()))["answerable"]
    return "\n".join([f"\nRetrieval, same questions: {judged} answerable judged (a passage is "
                      "relevant when it overlaps a gold answer)",
                      *_metrics_table(report, names)])


# -- qa tune ---------------------------------------------------------------------------------


def render_tune(report: TuneReport, *, written: Path | None = None) -> str:
    """Before and after, the choices of the first repeat's folds, then the whole grid; last,
    where the choice was `written`, if it was."""
    names = list(report.before)
    width = max(len(n) for n in report.grid) + 2
    lines = [f"{report.questions} judged questions, {report.fold_count}-fold cross-validation "
             f"repeated {report.repeats}x, choosing by {report.metric}",
             "".ljust(width) + "".join(n.rjust(10) for n in names)]
    for label, row in ((f"before ({DEFAULT})", report.before),
                       ("after (cross-val.)", report.after)):
        lines.append(label.ljust(width) + "".join(f"{row[n]:10.3f}" for n in names))
    lo, hi = report.after_range
    lines.append(f"(after, {report.metric}: {lo:.3f} to {hi:.3f} over the repeats)")
    for name, part in report.by_set.items():
        lines.append(f"\n{name}: {part['questions']} judged questions of the same folds")
        for label in ("before", "after"):
            lines.append(f"  {label}".ljust(width)
                         + "".join(f"{part[label][n]:10.3f}" for n in names))
    lines += _tune_folds(report)
    lines.append("\nall settings on all judged questions:")
    lines.append("".ljust(width) + "".join(n.rjust(10) for n in names))
    for name, row in report.grid.items():
        mark = "  <- chosen" if name == report.chosen else ""
        lines.append(name.ljust(width) + "".join(f"{row[n]:10.3f}" for n in names) + mark)
    if written is not None:
        lines.append(f"\nwrote {report.chosen} as the hybrid default → {written}")
    return "\n".join(lines)


def _tune_folds(report: TuneReport) -> list[str]:
    lines = ["\nrepeat 1: fold  chosen on training folds    train  held-out  default held-out"]
    for f in report.folds:
        if f["repeat"] == 1:
            lines.append(f"{f['fold']:>14}  {f['chosen']:<24} {f['train']:7.3f} "
                         f"{f['test']:9.3f} {f['default_test']:17.3f}")
    counts = Counter(f["chosen"] for f in report.folds)
    lines.append("chosen on training folds, all repeats: "
                 + ", ".join(f"{name} {n}x" for name, n in counts.most_common()))
    return lines


def render_chunks(rows: Sequence[ChunkRow],
                  metrics: Sequence[str] = ("Success@1", "Success@5", "RR@10", "nDCG@10",
                                            "R@10")) -> str:
    """One line per chunker setting and mode: its size, build time and retrieval metrics."""
    modes = list(rows[0].modes)
    width = max(len(m) for m in modes) + 1
    head = "max_chars overlap chunks build_s  " + "mode".ljust(width)
    lines = [head + "".join(m.rjust(10) for m in metrics)]
    for r in rows:
        for j, mode in enumerate(modes):
            lead = (f"{r.max_chars:>9} {r.overlap:>7} {r.chunks:>6} {r.seconds:>7.1f}" if j == 0
                    else " " * 32)
            cells = "".join(f"{r.modes[mode][m]:10.3f}" for m in metrics)
            lines.append(f"{lead}  {mode.ljust(width)}{cells}")
    return "\n".join(lines)
