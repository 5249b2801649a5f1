#!/usr/bin/env bash
# The main job, end to end: set up if needed, ingest the bundled samples into a
# demo archive, and search it.
#   scripts/demo.sh                       search for "sedinta consiliului"
#   scripts/demo.sh hotarare buget        search for other words
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ARHIVA_HOME="${ARHIVA_HOME:-$PWD/demo-archive}"
arhiva=.venv/bin/arhiva
query=("$@")
[ ${#query[@]} -gt 0 ] || query=(sedinta consiliului)

if [ -d "$ARHIVA_HOME/index" ] && ! "$arhiva" verify >/dev/null 2>&1; then
    # A demo archive left by an older arhiva (its index has another schema), or damaged.
    echo "== arhiva reindex   (the demo archive's index needs rebuilding)"
    "$arhiva" reindex
    echo
fi
echo "== arhiva ingest samples/   (archive: $ARHIVA_HOME)"
"$arhiva" ingest samples/
echo
echo "== arhiva list"
"$arhiva" list
echo
echo "== arhiva search ${query[*]}"
"$arhiva" search "${query[@]}"
echo
echo "== arhiva verify"
"$arhiva" verify
