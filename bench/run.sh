#!/usr/bin/env bash
# galley speed benchmark (issue 6). One command from a fresh clone: builds galley in release,
# installs autocorrect-py into .build/bench-venv, makes its inputs in .build/bench, prints a table.
# Measurement only: never run by .ci/run, never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v swift >/dev/null || { echo "bench: swift is not on PATH" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: python3 is not on PATH" >&2; exit 2; }
python3 -c 'import venv, ensurepip' 2>/dev/null || {
    echo "bench: python3 cannot make a venv (on Debian: apt-get install python3-venv)" >&2; exit 2; }
exec python3 bench/bench.py "$@"
