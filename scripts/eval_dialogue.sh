#!/usr/bin/env bash
# NLU on the held-out set and the conversation paths, with the model `make train` built.
# Prints intent macro-F1, entity F1 and the story results; reports stay in results/.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
# endpoints.yml reads these; `rasa test core` opens the tracker store it names.
export TRACKER_DB=results/tracker.db ACTION_ENDPOINT_URL=http://127.0.0.1:9/webhook
rm -rf results/nlu results/core && mkdir -p results
$RASA test nlu --model models/insatslotsen.tar.gz --nlu tests/nlu/heldout.yml --out results/nlu --no-plot >/dev/null
$RASA test core --model models/insatslotsen.tar.gz --stories tests/stories --out results/core --no-plot >/dev/null
.venv/bin/python scripts/dialogue_report.py results
