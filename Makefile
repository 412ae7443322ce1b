# The interface a maintainer and CI use. `make run` and `make test` install, train and index as needed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALL_STAMP := $(VENV)/.install-stamp
MODEL := models/insatslotsen.tar.gz
INDEX_STAMP := .cache/index/params.json

# Telemetry off and no downloads, for every command: the variables live in offline.env.
include offline.env
export $(shell sed -n 's/^\([A-Z_]*\)=.*/\1/p' offline.env)
export PYTHONPATH := $(CURDIR)
# pip installs without byte-compiling (scripts/install.sh), so each module is compiled when first
# imported and kept - unless PYTHONDONTWRITEBYTECODE is set, as it is on this machine and in CI:
# then every process compiled rasa, TensorFlow, torch and the rest from source at every start,
# and a fresh clone's pytest took 11 min 11 s against 6 min 33 s with the bytecode kept.
unexport PYTHONDONTWRITEBYTECODE

TRAINING_INPUTS := config.yml domain.yml $(shell find nlu/data nlu/components -name '*.yml' -o -name '*.py' 2>/dev/null) knowledge/ingest/swedish.py nlu/fact_patterns.yaml nlu/facts.py
CORPUS_INPUTS := $(shell find knowledge/corpus knowledge/retrieval knowledge/ingest -name '*.py' -o -name '*.txt' -o -name '*.yaml' 2>/dev/null) knowledge/settings.py
ADAPT_INPUTS := $(shell find knowledge/corpus knowledge/ingest -name '*.py' -o -name '*.txt' -o -name '*.yaml' 2>/dev/null) knowledge/retrieval/adapt.py

# The bundled English MiniLM, fine-tuned on (question, passage) pairs generated from the corpus
# (docs/retrieval.md: it wins on held-out questions). Built here, deterministically, not stored.
ADAPTED_MODEL_DIR := $(CURDIR)/.cache/models/minilm-insatslotsen
ADAPTED_MODEL := $(ADAPTED_MODEL_DIR)/adaptation.json
export INSATSLOTSEN_EMBEDDING_MODEL := $(ADAPTED_MODEL_DIR)

# The chat widget (Vite + Preact), built from the lock file; the FastAPI app serves widget/dist at /.
WIDGET_STAMP := widget/dist/index.html
WIDGET_INPUTS := widget/package.json widget/package-lock.json widget/vite.config.js widget/index.html \
	$(shell find widget/src -type f 2>/dev/null)

.PHONY: install services deploy-tools train index widget artefacts browser run test validate eval bench bench-nlu \
	bench-load bench-conversations images images-test clean

install: $(INSTALL_STAMP)

$(INSTALL_STAMP): requirements/lock.txt requirements/rasa.txt requirements/torch.txt scripts/install.sh
	@bash scripts/install.sh

train: $(MODEL)

# Rasa trains only when its training data, domain, config or NLU components changed.
$(MODEL): $(INSTALL_STAMP) $(TRAINING_INPUTS)
	@echo "==> Tränar Rasa-modellen (under en minut på två kärnor)"
	@$(RASA) train --config config.yml --domain domain.yml --data nlu/data \
		--out models --fixed-model-name insatslotsen --quiet
	@touch $(MODEL)

index: $(INDEX_STAMP)

$(ADAPTED_MODEL): $(INSTALL_STAMP) $(ADAPT_INPUTS)
	@echo "==> Anpassar inbäddningsmodellen till riktlinjerna (några minuter, en gång)"
	@$(PY) -m knowledge adapt-model

$(INDEX_STAMP): $(INSTALL_STAMP) $(ADAPTED_MODEL) $(CORPUS_INPUTS)
	@echo "==> Bygger sökindexet över riktlinjerna"
	@$(PY) -m knowledge build-index

widget: $(WIDGET_STAMP)

$(WIDGET_STAMP): $(WIDGET_INPUTS)
	@echo "==> Bygger chattwidgeten (npm ci + vite build)"
	@cd widget && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build -- --logLevel warn
	@touch $(WIDGET_STAMP)

# The model, the adapted MiniLM and its index, and the widget, two at a time: training and the
# widget build leave a core idle (file and network waits, one thread), which the adaptation's
# second torch thread or the other build then uses. Only what is out of date is built.
ARTEFACTS := $(MODEL) $(INDEX_STAMP) $(WIDGET_STAMP)
artefacts:
	@$(MAKE) --no-print-directory -j2 $(ARTEFACTS)

# Debian's Chromium for the browser tests (tests/browser); does nothing when it is installed.
browser:
	@bash scripts/install_browser.sh

run: artefacts
	@$(PY) -m assistant run

validate: $(INSTALL_STAMP)
	@$(RASA) data validate --config config.yml --domain domain.yml --data nlu/data --fail-on-warnings

# PostgreSQL and Redis for the store tests (tests/stores), from Debian's packages; root needed only
# when they are missing.
services:
	@bash scripts/install_services.sh

# helm and kubernetes-validate for the chart tests (tests/deploy), pinned by version and checksum.
deploy-tools:
	@bash deploy/tools/install.sh

# Two pytest-xdist workers, one per core: most of a serial run waits on servers starting or
# answering, so a second worker fills the idle core. Each directory runs whole on one worker
# (tests/conftest.py), so its shared servers start once. TEST_WORKERS=0 runs serially.
# The slowest tests are listed at the end, so that CI's log says where its minutes went.
TEST_WORKERS ?= 2

# The deploy tools (downloads, ~23 s on a fresh clone) come in beside the install and the builds:
# the install, the adaptation and then the index decide how long building takes, and the tools,
# the training and the widget fit beside them.
test: services browser
	@$(MAKE) --no-print-directory -j2 deploy-tools $(ARTEFACTS)
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder --durations=25 tests

# Masking (held-out half); retrieval: the guideline questions' held-out half (per mode, per subset, quotes), then the test
# half of the older set earlier work tuned on (docs/retrieval.md), the check half of every fresh set
# (knowledge.retrieval.evaluate.FRESH_EVAL_FILES); NLU: facts and intents on the held-out half
# (tests/data/nlu_eval/heldout.yaml and the newest fresh check half, benchmarks/nlu_eval.HALVES).
eval: $(MODEL) $(INDEX_STAMP)
	@$(PY) -m benchmarks.masking
	@echo
	@$(PY) -m knowledge eval-retrieval --split heldout
	@echo
	@$(PY) -m knowledge eval-retrieval --questions tests/data/retrieval_eval.yaml --split test --no-compare
	@echo
	@for questions in $$($(PY) -c 'from knowledge.retrieval.evaluate import FRESH_EVAL_FILES; print(*FRESH_EVAL_FILES)'); do \
		$(PY) -m knowledge eval-retrieval --questions $$questions --split check --no-compare && echo || exit 1; done
	@$(PY) -m benchmarks.nlu_eval
	@bash scripts/eval_dialogue.sh

bench: $(INDEX_STAMP)
	@$(PY) -m benchmarks.retrieval
	@$(PY) -m benchmarks.criteria
	@$(PY) -m benchmarks.consultation --split tuning
	@$(PY) -m benchmarks.consultation --split heldout

# NLU pipelines side by side: config.yml's and benchmarks/nlu_pipelines/*, plus the rasa init
# starter, each trained from scratch (docs/benchmarks.md); 15-20 minutes on two cores.
bench-nlu: $(INSTALL_STAMP) $(ADAPTED_MODEL)
	@$(PY) -m benchmarks.nlu

# Fresh free-text consultations typed through the real Rasa server and action server, the
# held-out halves (every benchmarks/data/conversations_fresh*.yaml, docs/benchmarks.md); a minute or two.
bench-conversations: $(MODEL) $(INDEX_STAMP)
	@$(PY) -m benchmarks.conversations --split heldout

# The whole stack under 1/10/20/50 simulated handläggare (docs/benchmarks.md); a few minutes.
bench-load: $(MODEL) $(INDEX_STAMP)
	@$(PY) -m benchmarks.load

# The three container images with Debian's podman on a base made by mmdebstrap (docs/deploy.md);
# root, podman, buildah, mmdebstrap and runc needed. Not part of `make test`: 10-20 minutes here.
images: $(MODEL) $(INDEX_STAMP) $(ADAPTED_MODEL) $(WIDGET_STAMP)
	@bash deploy/images.sh

# The images on a private podman network with PostgreSQL and Redis, one consultation per persona.
images-test:
	@$(PY) deploy/images_test.py

clean:
	rm -rf models .cache results var widget/dist widget/node_modules
