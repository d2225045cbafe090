#!/usr/bin/env bash
# libFuzzer targets, built with swiftc directly (SwiftPM test targets cannot link -sanitize=fuzzer).
# Usage: fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]   TARGET: framing | session | engine
# The sources a target needs go into one module with its entry file (imports between galley modules
# are stripped); the binary is .build/fuzz/<target> and is rebuilt when a source changed. New inputs
# go to .build/fuzz/corpus/<target> (the seeds in fuzz/corpus/<target> are read, never written);
# crashes are written to .build/fuzz/crashes/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: fuzz/run.sh framing|session|engine SECONDS [libFuzzer flags]}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"
shift 2

case "$target" in
  framing) sources=(Sources/LanguageServer/MessageFramer.swift); entry=fuzz/FramingFuzz.swift ;;
  engine)  sources=(Sources/TextModel/*.swift $(find Sources/Proofreading -name '*.swift' | sort)); entry=fuzz/EngineFuzz.swift ;;
  session) sources=(Sources/TextModel/*.swift $(find Sources/Proofreading -name '*.swift' | sort) Sources/LanguageServer/*.swift)
           entry=fuzz/SessionFuzz.swift ;;
  *) echo "unknown target $target (framing, session, engine)" >&2; exit 2 ;;
esac

out=.build/fuzz
bin="$out/$target"
src="$out/src/$target"
stamp="$( (cat "${sources[@]}" "$entry" fuzz/Support.swift fuzz/run.sh; echo "${FUZZ_SWIFTFLAGS:-}") | cksum | cut -d' ' -f1)"
if ! [ -x "$bin" ] || [ "$(cat "$bin.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "== building fuzz target $target (${#sources[@]} sources)"
  rm -rf "$src"; mkdir -p "$src"
  for f in "${sources[@]}" "$entry" fuzz/Support.swift; do
    # One module: the imports of galley's own modules go.
    sed -E '/^(@testable )?import (TextModel|Proofreading|LanguageServer|CMalloc)$/d' "$f" > "$src/$(echo "$f" | tr / _)"
  done
  swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name GalleyFuzz ${FUZZ_SWIFTFLAGS:-} \
    "$src"/*.swift -o "$bin" 2> >(grep -v -e 'warning: .*asan' -e '^ld' >&2 || true)
  echo "$stamp" > "$bin.stamp"
fi

mkdir -p "$out/corpus/$target" "$out/crashes/$target"
echo "== fuzzing $target for ${seconds}s"
SWIFT_BACKTRACE=enable=no "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$out/crashes/$target/" "$@" "$out/corpus/$target" "fuzz/corpus/$target"
