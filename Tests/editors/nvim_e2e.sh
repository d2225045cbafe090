#!/usr/bin/env bash
# End-to-end test of editors/nvim in a real Neovim 0.11 driving `galley lsp`.
# Usage: Tests/editors/nvim_e2e.sh [NVIM]  (default: .build/nvim-venv/bin/nvim; galley from .build/debug)
# Exits non-zero on any failure; under CI=true a missing Neovim is a failure, never a skip.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
nvim="${1:-$repo/.build/nvim-venv/bin/nvim}"
here="$repo/Tests/editors"

if ! [ -x "$nvim" ]; then
  if [ "${CI:-}" = "true" ]; then echo "FAIL: no Neovim at $nvim" >&2; exit 1; fi
  echo "SKIP: no Neovim at $nvim (outside CI)" >&2; exit 0
fi
[ -x "$repo/.build/debug/galley" ] || { echo "FAIL: build galley first (swift build)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/state" "$work/home"

run() { # $1: position encoding to offer, or "" for Neovim's default offer
  local status=0
  rm -rf "$work/project" "$work/state"; mkdir -p "$work/project" "$work/state"
  cp "$here/fixture/sample.txt" "$work/project/sample.txt"
  cp "$here/fixture/galley.json" "$work/project/.galley.json"
  env PATH="$repo/.build/debug:$PATH" GALLEY_REPO="$repo" HOME="$work/home" \
    XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" GALLEY_E2E_ENCODING="$1" \
      timeout 90 "$nvim" --headless --clean -u "$here/init.lua" -l "$here/nvim_e2e.lua" \
    "$work/project/sample.txt" "$here/fixture/expected.txt" || status=$?
  # galley writes to stderr only on errors; Neovim logs that (and a failed start) in lsp.log.
  if [ "$status" -eq 0 ] && grep -q '^\[ERROR\]' "$work/state/nvim/lsp.log" 2>/dev/null; then
    echo "FAIL: errors in lsp.log" >&2; status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "nvim e2e failed (encoding offer '${1:-default}', exit $status; 124 = timeout). lsp.log:" >&2
    cat "$work"/state/nvim/lsp.log >&2 2>/dev/null || echo "(no lsp.log)" >&2
  fi
  return "$status"
}
run ""
run utf-16
run utf-32
