# vnplans: every target installs what it needs first, so a fresh clone works with `make demo` / `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PKGS := tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 fonts-dejavu-core poppler-utils chromium
CORPUS ?= ../shared/corpus
JOBS ?= 2

.PHONY: install lock system-deps test check demo bench lint models train-lm train-channel candidate-table colon-words comma-words capital-pairs admin-units samples tessdata-best clean

# Bytecode for src/ too: an editable install does not compile it, and where PYTHONDONTWRITEBYTECODE is
# set (as in some CI images) every command would compile vnplans again (~0.15 s per process, and a
# batch starts several). Cheap when current; outdated .pyc files are only ignored, never wrong.
install: $(STAMP)
	@$(BIN)/python -m compileall -q src

# Debian packages: only when something is missing, and only when we can (root or passwordless sudo).
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	if command -v tesseract >/dev/null; then \
	  tesseract --list-langs 2>/dev/null | grep -qx vie || missing="$$missing tesseract-ocr-vie"; \
	  tesseract --list-langs 2>/dev/null | grep -qx osd || missing="$$missing tesseract-ocr-osd"; \
	fi; \
	fc-list 2>/dev/null | grep -qi "LiberationSerif" || [ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else \
	    echo "error: need root to install:$$missing" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PKGS) >/dev/null; \
	fi

$(STAMP): pyproject.toml constraints.txt | system-deps
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# Pin what is installed now (after `pip install -U ...` and a green `make test` + `make bench`).
lock: install
	@{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^vnplans'; } > constraints.tmp
	@mv constraints.tmp constraints.txt

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

# The fast subset (under 30 s): everything but tests marked slow (batch runs, Chromium, wheel builds).
check: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" tests

lint: install
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench

demo: install
	$(BIN)/vnplans convert samples --out out/demo --jobs $(JOBS)

bench: install tessdata-best
	$(BIN)/python -m bench.run --corpus $(CORPUS) --out bench/results

# Optional, more accurate Tesseract model: tessdata_best `vie` (integerised) from the npm registry package
# @tesseract.js-data/vie, beside Debian's osd/eng. Use it with TESSDATA_PREFIX=$(BEST_DIR) (see README).
BEST_DIR := build/tessdata_best
tessdata-best: $(BEST_DIR)/vie.traineddata
$(BEST_DIR)/vie.traineddata:
	@command -v npm >/dev/null || { echo "tessdata-best needs npm (Debian: apt-get install npm)" >&2; exit 1; }
	@mkdir -p $(BEST_DIR)/pkg
	cd $(BEST_DIR)/pkg && npm pack --silent @tesseract.js-data/vie@1.0.0 >/dev/null && tar xzf tesseract.js-data-vie-1.0.0.tgz
	gunzip -c $(BEST_DIR)/pkg/package/4.0.0_best_int/vie.traineddata.gz > $@.tmp && mv $@.tmp $@
	@for f in osd eng; do ln -sf "$$(tesseract --list-langs 2>&1 | sed -n 's/.*"\(.*\)".*/\1/p')/$$f.traineddata" $(BEST_DIR)/; done
	@rm -rf $(BEST_DIR)/pkg

# Rebuild the committed models from ../shared/corpus (documented in README; reproducible: fixed seeds, sorted inputs).
train-lm: install
	$(BIN)/vnplans train-lm $(CORPUS) -o models

train-channel: install
	$(BIN)/python -m tools.train_channel --corpus $(CORPUS) --out models
	$(BIN)/python -m tools.candidate_table --out models

# the vie readings of every inventory syllable, computed once (a cache of the channel's search)
candidate-table: install
	$(BIN)/python -m tools.candidate_table --out models

colon-words: install
	$(BIN)/python -m tools.colon_words --corpus $(CORPUS) --out dictionaries/colon_words.txt

comma-words: install
	$(BIN)/python -m tools.comma_words --corpus $(CORPUS) --out dictionaries/comma_words.tsv

capital-pairs: install
	$(BIN)/python -m tools.capital_pairs --corpus $(CORPUS) --out dictionaries/capital_pairs.txt

# dictionaries/admin_units.tsv and admin_wards_pre2025.tsv from the PyPI package vietnam-provinces
# (0.6.0: before the 2025 reorganisation, 2025.10.1: after), downloaded at build time only.
admin-units: install
	$(BIN)/python -m tools.admin_units --out dictionaries

models: train-lm train-channel colon-words comma-words capital-pairs

samples: install
	$(BIN)/python -m tools.make_samples --out samples

clean:
	rm -rf out build dist .pytest_cache .ruff_cache
