#!/usr/bin/env bash
# Run the whole test suite: set up what is missing first (see scripts/setup.sh).
#   scripts/test.sh            the default suite (unit and end-to-end with real Tesseract)
#   scripts/test.sh -m slow    extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
