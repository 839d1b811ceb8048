# make run: set up .venv and ingest corpus/ into output/.   make test: set up and test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The compiled modules' record (zhfacts/native.py): rebuilt when their sources change.
NATIVE := src/zhfacts/native.json

.PHONY: run test bench lint clean score compile native

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dask,fast,native]'
	touch $(STAMP)

# An editable install is not byte-compiled, and where PYTHONDONTWRITEBYTECODE is set
# every start would compile zhfacts again: compile it once (only what changed).
compile: $(NATIVE)
	$(BIN)/python -m compileall -q src

# Matching and placing compiled with mypyc (about 40 s); without a C compiler the build
# says so and zhfacts runs as Python, with the same results.
$(NATIVE): $(STAMP) src/zhfacts/place.py src/zhfacts/extractor.py
	$(BIN)/zhfacts native build

native: $(NATIVE)

run: compile
	$(BIN)/zhfacts ingest corpus/ --out output/

test: $(NATIVE)
	$(BIN)/python -m pytest -q tests src/zhfacts

lint: $(STAMP)
	$(BIN)/zhfacts rules lint

score: run
	$(BIN)/python ../shared/eval/score.py ../shared/eval/seeds.gold.jsonl output/facts.csv

bench: compile
	-$(BIN)/python bench/throughput.py
	-$(BIN)/python bench/memory.py
	-$(BIN)/python bench/ingest_twice.py

clean:
	rm -rf output/*.csv output/*.sqlite* output/review.html
