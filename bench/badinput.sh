#!/usr/bin/env bash
# Bad input timing (issue 7): `galley check` (release build) on one line of seed text with no
# newline and on empty lines, at 10, 20 and 40 MB (and 50 MB without a newline, the issue's case).
# Prints seconds and MB/s per size: time should grow linearly with size. Measurement only: never
# run by .ci/run, never asserted in tests. Usage: bench/badinput.sh [SIZES_MB...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 20 40 50)
swift build -c release --product galley >/dev/null
galley="$(swift build -c release --show-bin-path)/galley"
work=.build/badinput
mkdir -p "$work"

python3 - "$work" "${sizes[@]}" <<'PY'
import glob, os, sys
work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
seeds = "".join(open(f, encoding="utf-8").read() for f in sorted(glob.glob("seeds/*.txt")))
line = seeds.replace("\r", "").replace("\n", "").encode()
for mb in sizes:
    n = mb * 1_000_000
    path = f"{work}/no-newline-{mb}mb.txt"
    if not os.path.exists(path) or os.path.getsize(path) != n:
        data = (line * (n // len(line) + 1))[:n].decode("utf-8", "ignore").encode()  # whole characters
        data += b"." * (n - len(data))
        open(path, "wb").write(data)
    path = f"{work}/empty-lines-{mb}mb.txt"
    if not os.path.exists(path) or os.path.getsize(path) != n:
        open(path, "wb").write(b"\n" * n)
PY

# Wall time and CPU time (user + system: steadier than wall time on a shared machine).
printf '%-12s %5s %9s %9s %9s %10s %11s\n' input MB 'wall s' 'CPU s' 'MB/CPU s' findings 'max RSS MB'
for kind in no-newline empty-lines; do
  for mb in "${sizes[@]}"; do
    file="$work/$kind-${mb}mb.txt"
    set +e
    /usr/bin/env time -f '%e %U %S %M' -o "$work/time" "$galley" check --format text "$file" > "$work/out.txt" 2> "$work/err.txt"
    status=$?
    set -e
    if [ "$status" -ge 2 ]; then echo "galley check $file exited $status:"; tail -3 "$work/err.txt"; exit 1; fi
    read -r wall user sys rss < <(tail -1 "$work/time")
    python3 -c "import sys; w,u,s=map(float,sys.argv[1:4]); mb=int(sys.argv[4]); print('%-12s %5d %9.2f %9.2f %9.1f %10s %11d' % (sys.argv[5], mb, w, u+s, mb/(u+s), sys.argv[6], int(sys.argv[7])//1024))" \
      "$wall" "$user" "$sys" "$mb" "$kind" "$(wc -l < "$work/out.txt")" "$rss"
  done
done
