#!/usr/bin/env bash
# Set up everything arhiva needs on a Debian or Ubuntu machine, idempotently:
#   - system packages: Tesseract with the Romanian (ron) and orientation (osd)
#     models, and a font with Romanian glyphs (DejaVu);
#   - a virtual environment in .venv with arhiva and its test tools.
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(tesseract-ocr tesseract-ocr-ron tesseract-ocr-osd fonts-dejavu-core)

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
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing system packages: ${APT_PACKAGES[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "setup: installing system packages with sudo: ${APT_PACKAGES[*]}" >&2
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
    else
        echo "setup: arhiva needs these system packages; please run as root:" >&2
        echo "  apt-get update && apt-get install -y ${APT_PACKAGES[*]}" >&2
        exit 3
    fi
    missing_system && { echo "setup: Tesseract with ron and osd is still missing after install" >&2; exit 3; }
fi

# PostgreSQL, for the tests of the PostgreSQL search backend (they are skipped
# without a server). Installed where we may install, never required otherwise.
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing postgresql (for the PostgreSQL backend's tests)" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "setup: installing postgresql with sudo (for the PostgreSQL backend's tests)" >&2
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    else
        echo "setup: postgresql is not installed; the PostgreSQL backend's tests will be skipped" >&2
        echo "  (as root: apt-get install -y postgresql)" >&2
    fi
fi

# Chromium, for the browser tests of `arhiva serve` (driven by Playwright
# through its executable path; they are skipped without it).
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing chromium (for the browser tests of arhiva serve)" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "setup: installing chromium with sudo (for the browser tests of arhiva serve)" >&2
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
    else
        echo "setup: chromium is not installed; the browser tests will be skipped" >&2
        echo "  (as root: apt-get install -y chromium)" >&2
    fi
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
