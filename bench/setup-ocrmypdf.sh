#!/usr/bin/env bash
# Install OCRmyPDF for the speed benchmark only, in its own virtual environment
# (bench/.venv-ocrmypdf), so that it never becomes a dependency of arhiva.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv-ocrmypdf/bin/ocrmypdf ] && exit 0
python3 -m venv .venv-ocrmypdf
.venv-ocrmypdf/bin/python -m pip install -q "ocrmypdf==17.13.0"
