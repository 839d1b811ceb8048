# make run: set up .venv and ingest corpus/ into output/.   make test: set up and test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean score

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask,fast]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/zhfacts ingest corpus/ --out output/ --rules rules/

test: $(STAMP)
	$(BIN)/python -m pytest -q tests src/zhfacts

lint: $(STAMP)
	$(BIN)/zhfacts rules lint

score: run
	$(BIN)/python ../shared/eval/score.py ../shared/eval/seeds.gold.jsonl output/facts.csv

bench: $(STAMP)
	-$(BIN)/python bench/throughput.py
	-$(BIN)/python bench/memory.py
	-$(BIN)/python bench/ingest_twice.py

clean:
	rm -rf output/*.csv output/*.sqlite* output/review.html
