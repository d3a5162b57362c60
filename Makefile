# Two commands set everything up on a fresh clone: `make run` and `make test`.
# Each step leaves a stamp, so a second run skips work already done.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
QA := $(VENV)/bin/qa
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index run test test-fast lint bench bench-scale load screenshot browser clean fit-reader guards

install: $(VENV)/.installed

# torch first, pinned: it is the CPU build on this machine's disk; anything unpinned
# would pull a multi-GB CUDA build when sentence-transformers asks for torch.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,scale]'  # scale: Ray, for the --ray test
	$(PY) -m compileall -q qa  # bytecode, as a regular install writes it (see bench)
	touch $@

# Debian's chromium for the browser tests; playwright drives it (never `playwright install`).
# The emoji font lets titles such as "AI Bubble 🫧" render in the screenshot.
browser: $(VENV)/.browser
$(VENV)/.browser:
	@{ command -v chromium && fc-list | grep -q "Noto Color Emoji"; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }
	@mkdir -p $(VENV) && touch $@

index: install
	$(QA) index --if-stale

run: index
	$(QA) serve --host 127.0.0.1 --port 7860

test: install browser
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser"

lint: install
	$(VENV)/bin/ruff check qa tests
	$(VENV)/bin/lint-imports

# qa's bytecode is compiled first, as an install (or a first run) leaves it on a user's machine:
# where PYTHONDONTWRITEBYTECODE is set (this one) nothing caches it, and every cold `qa ask`
# would compile qa's 40 modules from source (0.1-0.3 s) before answering.
bench: index
	$(PY) -m compileall -q qa
	$(QA) bench

# Store what each extraction pattern's parse gives (qa/reader/data/guards.json), so a cold
# start need not parse them again; tests/reader/test_needs.py says when it is out of date.
guards: install
	$(PY) -c "from qa.reader import extract, needs; needs.write_readings(extract.GUARDED)"

# Refit the learned reader on SQuAD's fit half + the seeds (qa/reader/data/reader_model.json).
fit-reader: index
	$(QA) fit-reader --squad ../shared/data/squad-v2.0-dev.json.gz --articles even

# The local index next to Qdrant Edge at 100k and 1M synthetic chunks (long: about an hour
# on 2 cores, most of it building HNSW at 1M); SIZES=100000 for the short run.
SIZES ?= 100000,1000000
QUERIES ?= 100
bench-scale: install
	nice -n 10 $(PY) -m qa.perf.scaleout --sizes $(SIZES) --queries $(QUERIES)

# 32 clients asking the seed questions through the API for 60 s, on 127.0.0.1 only.
load: index
	$(QA) loadtest --clients 32 --seconds 60

screenshot: index browser
	$(PY) -m tests.screenshot docs/screenshot.png

clean:
	rm -rf index $(VENV) .pytest_cache
