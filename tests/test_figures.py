"""The figures table, checked row by row against the five seed articles (read by hand)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from qa.figures import KINDS, figures_table, to_json

A000 = "seeds/000_432a7676416fb9d4.txt"
A001 = "seeds/001_23c6df641d8efd7b.txt"
A002 = "seeds/002_292f70715769bd2d.txt"
A003 = "seeds/003_b6c8a39852cc0843.txt"
A004 = "seeds/004_f577ec4ace4f0d8b.txt"


@pytest.fixture(scope="module")
def table(fake_index):
    return figures_table(fake_index)


# source, figure as written, organization, what, date, target (None: not checked)
KNOWN = [
    (A000, "between $60 billion and $65 billion", "Meta", "spend", "this year (February 2025)",
     None),
    (A000, "approximately $80 billion", "Microsoft", "investment", "FY 2025", None),
    (A000, "$75 billion", "Google", "investment", "this year (February 2025)", None),
    (A000, "$12.5 billion", "Google", "purchase", "2012", "Motorola Mobility"),
    (A000, "more than $500 billion", "Apple", "spend", "February 2025", None),
    (A000, "$1.25 billion", "Amazon", "investment", "September 2023", "Anthropic"),
    (A000, "$2.75 billion", "Amazon", "investment", "the first quarter of 2024", "Anthropic"),
    (A000, "$61.5 billion", "Anthropic", "valuation", "Monday March 3, 2025", None),
    (A000, "as much as $500 billion", "Stargate", "investment", None, None),
    (A000, "$300 billion", "OpenAI", "valuation", "March 7, 2025", None),
    (A000, "$40 billion", "OpenAI", "fund", "March 7, 2025", None),
    (A000, "~$61.5 billion", "Anthropic", "valuation", None, None),
    (A000, "$30 billion", "Microsoft, BlackRock, MGX", "fund", None, None),
    (A000, "approximately $172 billion", "China", "budget", "2025", None),
    (A001, "$100 billion", "MGX", "investment", None, None),
    (A001, "$16 billion", "SoftBank", "borrowing", None, None),
    (A001, "as much as $40 billion", "OpenAI", "loss", "2028", None),
    (A002, "15%", "Nvidia", "fall", None, None),
    (A002, "8.3%", "SoftBank", "fall", None, None),
    (A002, "under $6 million", "DeepSeek", "cost", None, None),
    (A002, "$500 billion", "Stargate", "investment", None, None),
    (A003, "almost 17 percent", "Nvidia", "fall", None, None),
    (A003, "nearly $600 billion", "Nvidia", "loss", None, None),
    (A003, "92 percent", "Nasdaq", "rise", None, None),
    (A004, "$1.3 billion", "DeepSeek", "cost", None, None),
    (A004, "$68 billion", "US", "investment", "2023", None),
    (A004, "about $8 billion", "China", "investment", None, None),
    (A004, "€200bn", "EU", "investment", None, None),
    (A004, "90%", "China", "share", None, None),
    (A004, "60.5%", "US", "share", None, None),
]
# Owners and targets right only while a table of the seeds' organizations was in the code:
# the small entity model does not mark Wiz, Ampere Computing, xAI, InvestAI, ASML or the
# S&P 500 as organizations, and reads the list behind "Magnificent Seven" member by member.
# Strict xfail: a better entity finder turns them into passes, and this list must shrink.
NEEDS_NAMES = [
    (A000, "$32 billion", "Google", "purchase", "March 18, 2025", "Wiz"),
    (A000, "$6.5 billion", "SoftBank", "purchase", "March 19, 2025", "Ampere Computing"),
    (A000, "as much as $75 billion", "xAI", "valuation", "March 7, 2025", None),
    (A000, "about $40 billion", "xAI", "valuation", None, None),
    (A000, "€200 billion", "InvestAI", "investment", None, None),
    (A000, "€20 billion", "InvestAI", "fund", None, None),
    (A000, "$15.4 trillion", "Magnificent Seven", "valuation", "mid-2024", None),
    (A002, "7.6%", "ASML", "fall", None, None),
    (A003, "6.8 percent", "Nvidia", "share", None, "S&P 500"),
]


@pytest.mark.parametrize(("source", "text", "organization", "what", "date", "target"), KNOWN,
                         ids=[f"{row[0][6:9]}:{row[1]}" for row in KNOWN])
def test_known_rows(table, source, text, organization, what, date, target):
    check_row(table, source, text, organization, what, date, target)


@pytest.mark.xfail(strict=True, reason="needs the organization named by a better entity finder")
@pytest.mark.parametrize(("source", "text", "organization", "what", "date", "target"),
                         NEEDS_NAMES, ids=[f"{row[0][6:9]}:{row[1]}" for row in NEEDS_NAMES])
def test_rows_that_need_better_names(table, source, text, organization, what, date, target):
    check_row(table, source, text, organization, what, date, target)


def check_row(table, source, text, organization, what, date, target):
    rows = [f for f in table if f.source == source and f.text == text]
    assert rows, f"{text} not found in {source}"
    row = rows[0]
    assert (row.organization, row.what) == (organization, what)
    if date is not None:
        assert row.date == date
    if target is not None:
        assert row.target == target


def test_every_row_points_at_its_figure_and_sentence(table, fake_index):
    assert len(table) >= 70
    for f in table:
        text = fake_index.documents[f.source].text
        assert text[f.start:f.end] == f.text
        assert text[f.sentence_start:f.sentence_end] == f.sentence
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
        assert f.unit in {"USD", "EUR", "%"}, f  # money and percentages only
        assert f.what is None or f.what in KINDS
        assert f.citation.start == f.start and f.citation.line_start >= 1


def test_counts_fractions_and_years_are_not_figures(table):
    written = {f.text for f in table}
    assert not written & {"44,150", "nearly one-third", "109", "2030", "at least ten times"}


def test_entity_filter_takes_the_corpus_names_and_targets(fake_index):
    meta = figures_table(fake_index, entity="meta")  # any case
    assert "between $60 billion and $65 billion" in [f.text for f in meta]
    assert all("Meta" in f"{f.organization},{f.target}" for f in meta)
    assert figures_table(fake_index, entity="facebook") == []  # no alias table
    anthropic = figures_table(fake_index, entity="Anthropic")
    assert {"Anthropic", "Amazon"} <= {f.organization for f in anthropic}
    assert figures_table(fake_index, entity="Huawei") == []


def test_to_json_rows_are_plain_and_cited(table):
    rows = to_json(table[:3])
    json.dumps(rows)
    assert set(rows[0]) >= {"organization", "what", "text", "value", "unit", "date", "source",
                            "start", "end", "citation", "lines"}
    assert "seeds/000_432a7676416fb9d4.txt, chars" in rows[0]["citation"]


def test_cli_figures_table_and_json(fake_index_dir, root):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    def qa(*args):
        return subprocess.run([sys.executable, "-m", "qa.cli", "figures", *args,
                               "--index-dir", str(fake_index_dir)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)

    run = qa("--entity", "Meta")
    assert run.returncode == 0, run.stderr
    assert "between $60 billion and $65 billion" in run.stdout
    assert re.search(r"\n\d+ figures for Meta\n", run.stdout)
    run = qa("--json", "--entity", "Google")
    assert run.returncode == 0, run.stderr
    assert {r["text"] for r in json.loads(run.stdout)} >= {"$75 billion", "$32 billion"}
