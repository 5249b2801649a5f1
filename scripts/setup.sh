#!/usr/bin/env bash
# Set up everything arhiva needs on a Debian or Ubuntu machine, idempotently:
#   - system packages: Tesseract with the Romanian (ron) and orientation (osd)
#     models, and a font with Romanian glyphs (DejaVu);
#   - with --tests (as scripts/test.sh runs it), what the tests use besides:
#     a PostgreSQL server (the PostgreSQL backend's tests) and Chromium (the
#     browser tests of arhiva serve); without them those tests are skipped;
#   - a virtual environment in .venv with arhiva and its test tools.
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true

APT_PACKAGES=(tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd fonts-dejavu-core)

# apt_install WHAT PACKAGE...: install Debian packages as root or with
# password-less sudo; returns 1 (printing the command to run) when neither is possible.
apt_updated=false
apt_install() {
    local what=$1; shift
    local run=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            run=(sudo -n)
        else
            echo "setup: $what needs these packages; as root run:" >&2
            echo "  apt-get update && apt-get install -y $*" >&2
            return 1
        fi
    fi
    echo "setup: installing $* ($what)" >&2
    if ! $apt_updated; then
        "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=true
    fi
    "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_system() {
    command -v tesseract >/dev/null 2>&1 || return 0
    local langs
    langs=$(tesseract --list-langs 2>/dev/null || true)
    grep -qx ron <<<"$langs" || return 0
    grep -qx osd <<<"$langs" || return 0
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 0
    return 1
}

if missing_system; then
    apt_install "arhiva" "${APT_PACKAGES[@]}" || exit 3
    missing_system && { echo "setup: Tesseract with ron and osd is still missing after install" >&2; exit 3; }
fi

if $for_tests; then
    command -v pg_ctlcluster >/dev/null 2>&1 ||
        apt_install "the PostgreSQL backend's tests (skipped without it)" postgresql || true
    [ -x /usr/bin/chromium ] ||
        apt_install "the browser tests of arhiva serve (skipped without it)" chromium || true
    command -v pdftotext >/dev/null 2>&1 ||
        apt_install "the tests of the searchable PDF copies (pdftotext; skipped without it)" poppler-utils || true
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating virtual environment .venv" >&2
    "$PY" -m venv .venv || {
        echo "setup: python3 -m venv failed; install it with: apt-get install -y python3-venv" >&2
        exit 3
    }
fi
# Reinstall only when the project's dependencies changed. The exact versions
# come from requirements/constraints.txt, so every install tests what CI tested.
stamp=.venv/.arhiva-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements/constraints.txt -nt "$stamp" ]; then
    echo "setup: installing arhiva and its dependencies into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -c requirements/constraints.txt -e '.[test]'
    touch "$stamp"
fi
# Byte-compile arhiva now: where PYTHONDONTWRITEBYTECODE is set, every command
# would otherwise compile the changed modules again at start-up.
.venv/bin/python -m compileall -q arhiva >/dev/null || true
