#!/usr/bin/env python3
"""galley speed benchmark (issue 6): batch, folder, server latency, memory.

Measurement only: prints one table with the issue's targets beside the figures.
Standard library only; autocorrect-py (the peer) goes into its own venv under
.build/bench-venv. Run it through bench/run.sh from the repository root.
"""
import json
import math
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build", "bench")
VENV = os.path.join(ROOT, ".build", "bench-venv")
SEEDS = os.path.join(ROOT, "seeds")
MB = 1024 * 1024

# Median of RUNS for every batch figure (the issue asks for at least 5). galley runs on both cores,
# so a moment the host takes one of them shows in its time more than in a one-core tool's: nine
# runs keep one or two such moments from moving the median.
RUNS = 9
# The server's sessions are run this many times, each in a fresh server with the same edits: a p99
# of 200 edits is their 198th, so one moment's delay in either session moved one run's ratio from
# 1.3 to 2.5. Each p99 is still that of its own 200 edits; the table shows their median and range.
SERVER_RUNS = 5
# The host counts as quiet when galley's and `wc -m`'s median runs are both within this fraction of
# their fastest: each does the same work every run, so more time is other work on the machine (quiet:
# 3–5% above; while other work shared the host, 10–56%). Either may be the one it slows: galley, on
# both cores, often took 10% more while `wc -m` took 3%.
STEADY = 0.10
BIG_FILE = 20 * MB       # batch file, at least this many bytes
SMALL_FILES = 2000       # folder: this many files of about SMALL_SIZE bytes
SMALL_SIZE = 10 * 1024
DOC_BIG = 10 * MB        # server documents
DOC_SMALL = 10 * 1024
EDITS = 200              # didChange edits per document
EDIT_BUDGET = 60.0       # seconds of edits per document at most
SEED = 6                 # RNG seed: same edits every run


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- setup

# As README "Install" builds it: the Swift runtime and Foundation linked in (a run starts in 3 ms,
# not 8: no dynamic loader resolving Foundation's symbols). A scratch path of its own, so the
# usual release build is not relinked each time.
RELEASE = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", ".build/static"]


def build_galley():
    log("building galley (release, --static-swift-stdlib)…")
    subprocess.run(RELEASE + ["--product", "galley"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(RELEASE + ["--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "galley")


def venv_python():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        log("creating " + os.path.relpath(VENV, ROOT) + "…")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([py, "-c", "import autocorrect_py"], capture_output=True).returncode != 0:
        log("installing autocorrect-py…")
        subprocess.run([py, "-m", "pip", "install", "-q", "autocorrect-py"], check=True)
    version = subprocess.run([py, "-c", "import importlib.metadata as m; print(m.version('autocorrect-py'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    return py, version


def seed_texts():
    texts = []
    for name in sorted(os.listdir(SEEDS)):
        if name.endswith(".txt"):
            with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
                t = f.read()
            texts.append(t if t.endswith("\n") else t + "\n")
    if not texts:
        sys.exit("no seeds in " + SEEDS)
    return texts


def repeated(texts, size):
    """The seeds one after another, a blank line between, until at least `size` UTF-8 bytes."""
    parts, n, i = [], 0, 0
    while n < size:
        t = texts[i % len(texts)] + "\n"
        parts.append(t)
        n += len(t.encode("utf-8"))
        i += 1
    return "".join(parts)


def pieces(texts, size, count):
    """`count` pieces of about `size` bytes, cut at line ends, cycling through the seeds."""
    lines = [l for t in texts for l in t.splitlines(keepends=True)]
    out, cur, n, i = [], [], 0, 0
    while len(out) < count:
        l = lines[i % len(lines)]
        cur.append(l)
        n += len(l.encode("utf-8"))
        i += 1
        if n >= size:
            out.append("".join(cur))
            cur, n = [], 0
    return out


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---------------------------------------------------------------- batch

def run_child(cmd, stdout=subprocess.DEVNULL, env=None):
    """Wall seconds, CPU seconds (user+sys), peak RSS in bytes and exit status of one child."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, p.returncode


def median_runs(*commands, runs=RUNS, each_run=None):
    """(median wall, median CPU, peak RSS, (fastest, slowest) wall) of each (cmd, expected exit
    statuses, env) given. The commands take turns, run after run: a change in the machine's load
    (wc -m alone varied 183-305 ms in one session) then falls on all of them alike, not on whichever
    ran at the time. `each_run`, when given, is called before the commands of every run
    (autocorrect-py takes its turn there)."""
    walls, cpus, rss = [[] for _ in commands], [[] for _ in commands], [0] * len(commands)
    for _ in range(runs):
        if each_run:
            each_run()
        for i, (cmd, expect, env) in enumerate(commands):
            wall, cpu, peak, code = run_child(cmd, env=env)
            if code not in expect:
                sys.exit(f"{' '.join(cmd)}: exit {code}, expected {expect}")
            walls[i].append(wall)
            cpus[i].append(cpu)
            rss[i] = max(rss[i], peak)
    results = [(statistics.median(w), statistics.median(c), r, (min(w), max(w)), w) for w, c, r in zip(walls, cpus, rss)]
    return results if len(commands) > 1 else results[0]


AUTOCORRECT = """
import sys, time, autocorrect_py
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    text = f.read()
start = time.perf_counter()
result = autocorrect_py.lint_for(text, path)
print(time.perf_counter() - start, len(result.lines))
"""


def autocorrect_once(py, path):
    """Seconds autocorrect-py's `lint_for` took on the file (in the process, after reading it) and
    how many findings it made."""
    out = subprocess.run([py, "-c", AUTOCORRECT, path], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


# ---------------------------------------------------------------- server

class Server:
    """`galley lsp` over pipes; a reader thread stamps every message with its arrival time."""

    def __init__(self, galley):
        self.proc = subprocess.Popen([galley, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox = queue.Queue()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put((time.perf_counter(), None))
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = out.read(length)
            # Stamped on arrival: parsing the message is the client's time, not the server's.
            at = time.perf_counter()
            self.inbox.put((at, json.loads(body)))

    def send(self, message):
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        # Stamped before the write: after it, this thread could wait for the interpreter lock
        # while the reader thread parses the answer, and a long answer would look fast.
        sent = time.perf_counter()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return sent

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == i and "method" not in m)[1]

    def wait(self, match, timeout=600):
        deadline = time.perf_counter() + timeout
        while True:
            at, m = self.inbox.get(timeout=max(0.001, deadline - time.perf_counter()))
            if m is None:
                sys.exit("galley lsp stopped")
            if match(m):
                return at, m

    def diagnostics(self, uri, version):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"].get("version") == version)

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def edit_session(server, uri, text, rng):
    """Opens `text`, applies single-character insertions at random places, one at a time.
    Returns (open seconds, latencies in seconds)."""
    lines = text.split("\n")
    sent = server.notify("textDocument/didOpen",
                         {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 0, "text": text}})
    at, _ = server.diagnostics(uri, 0)
    opened = at - sent
    latencies = []
    start = time.perf_counter()
    for version in range(1, EDITS + 1):
        if time.perf_counter() - start > EDIT_BUDGET:
            break
        line = rng.randrange(len(lines))
        column = rng.randrange(len(lines[line]) + 1)   # code points: never inside a surrogate pair
        char = rng.choice("的，。a1 “")
        position = {"line": line, "character": utf16_len(lines[line][:column])}
        lines[line] = lines[line][:column] + char + lines[line][column:]
        sent = server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": position, "end": position}, "text": char}]})
        at, _ = server.diagnostics(uri, version)
        latencies.append(at - sent)
    return opened, latencies


def server_run(galley, doc_small, doc_seed, seed_name, doc_big):
    """One fresh server: the 10 KB document, the seed, then the 10 MB one, each opened and edited
    EDITS times (the same edits every run). Latencies' p50/p99 in seconds, opens, memory."""
    rng = random.Random(SEED)
    server = Server(galley)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                  "capabilities": {"general": {"positionEncodings": ["utf-16"]}}})
    server.notify("initialized", {})
    s_open, s_lat = edit_session(server, "file:///bench/small.txt", doc_small, rng)
    e_open, e_lat = edit_session(server, "file:///bench/" + seed_name, doc_seed, rng)
    rss_before_big = server.status("VmRSS")
    b_open, b_lat = edit_session(server, "file:///bench/big.txt", doc_big, rng)
    hwm = server.status("VmHWM")
    rss_now = server.status("VmRSS")
    server.stop()
    figures = {"hwm": hwm, "rss_before_big": rss_before_big, "rss_now": rss_now}
    for key, opened, lat in (("s", s_open, s_lat), ("e", e_open, e_lat), ("b", b_open, b_lat)):
        figures.update({key + "_open": opened, key + "_p50": statistics.median(lat),
                        key + "_p99": percentile(lat, 99), key + "_edits": len(lat)})
    return figures


def percentile(values, p):
    s = sorted(values)
    k = max(0, math.ceil(p / 100 * len(s)) - 1)   # nearest rank
    return s[k]


# ---------------------------------------------------------------- report

def fmt_s(x):
    return f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s"


def fmt_spread(spread):
    """The fastest and slowest of the runs, in the median's unit."""
    lo, hi = spread
    return f"{lo * 1000:.0f}–{hi * 1000:.0f} ms" if hi < 1 else f"{lo:.2f}–{hi:.2f} s"


def fmt_ms(figure):
    """A median in milliseconds and its (lowest, highest) in brackets."""
    x, (lo, hi) = figure
    return f"{x * 1000:.2f} ms ({lo * 1000:.2f}–{hi * 1000:.2f})"


def fmt_mb(x):
    return f"{x / MB:.1f} MB"


def verdict(ok):
    return "met" if ok else "**not met**"


def main():
    os.makedirs(WORK, exist_ok=True)
    galley = build_galley()
    py, ac_version = venv_python()
    texts = seed_texts()

    big_path = os.path.join(WORK, "big.txt")
    big_text = repeated(texts, BIG_FILE)
    write(big_path, big_text)
    big_bytes = os.path.getsize(big_path)
    big_chars = len(big_text)
    folder = os.path.join(WORK, "folder")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    small = pieces(texts, SMALL_SIZE, SMALL_FILES)
    for i, t in enumerate(small):
        write(os.path.join(folder, f"{i:04d}.txt"), t)
    folder_bytes = sum(len(t.encode("utf-8")) for t in small)

    # (a) batch
    log(f"batch: {fmt_mb(big_bytes)}, median of {RUNS} runs…")
    env = dict(os.environ, LC_ALL="C.UTF-8")   # wc -m counts characters only in a UTF-8 locale
    autocorrect = []    # (seconds, findings) of each run
    (g_wall, g_cpu, g_rss, g_spread, g_walls), (w_wall, _, _, w_spread, w_walls), sarif, github = median_runs(
        ([galley, "check", "--no-config", big_path], (0, 1), None),
        (["wc", "-m", big_path], (0,), env),
        # The CI formats (no target: what code scanning and annotations cost on a big file).
        ([galley, "check", "--no-config", "--format", "sarif", big_path], (0, 1), None),
        ([galley, "check", "--no-config", "--format", "github", big_path], (0, 1), None),
        each_run=lambda: autocorrect.append(autocorrect_once(py, big_path)))
    a_time, a_found = statistics.median(t for t, _ in autocorrect), autocorrect[-1][1]
    a_spread = (min(t for t, _ in autocorrect), max(t for t, _ in autocorrect))
    log("folder: 2,000 files…")
    f_wall, f_cpu, _, _, _ = median_runs(([galley, "check", "--no-config", folder], (0, 1), None))
    f_parallel = f_cpu / f_wall

    # (b, c) server
    log(f"server: 10 KB and 10 MB documents, {SERVER_RUNS} sessions…")
    doc_small = "".join(pieces(texts, DOC_SMALL, 1))
    doc_big = "".join(pieces(texts, DOC_BIG, 1))
    # A real page as transcribed: the longest seed.
    seed_name = max((n for n in os.listdir(SEEDS) if n.endswith(".txt")), key=lambda n: os.path.getsize(os.path.join(SEEDS, n)))
    with open(os.path.join(SEEDS, seed_name), encoding="utf-8") as f:
        doc_seed = f.read()
    sessions = [server_run(galley, doc_small, doc_seed, seed_name, doc_big) for _ in range(SERVER_RUNS)]

    def edits(count):
        """How many edits a session measured, and whether the time budget cut them short."""
        return f"{count} edits" + ("" if count == EDITS else f" (capped at {EDIT_BUDGET:.0f} s)")

    def mid(key):
        """Median over the server runs of one figure, and its (lowest, highest)."""
        values = [r[key] for r in sessions]
        return statistics.median(values), (min(values), max(values))

    s_open, s_p50, s_p99 = mid("s_open")[0], mid("s_p50"), mid("s_p99")
    e_open, e_p50, e_p99 = mid("e_open")[0], mid("e_p50"), mid("e_p99")
    b_open, b_p50, b_p99 = mid("b_open")[0], mid("b_p50"), mid("b_p99")
    run_ratios = [r["b_p99"] / r["s_p99"] for r in sessions]
    s_edits, e_edits, b_edits = (min(r[key + "_edits"] for r in sessions) for key in "seb")
    # Memory: the highest of the runs.
    hwm = max(r["hwm"] for r in sessions)
    rss_before_big = max(r["rss_before_big"] for r in sessions)
    rss_now = max(r["rss_now"] for r in sessions)

    doc_big_bytes = len(doc_big.encode("utf-8"))
    rss_target = 4 * doc_big_bytes + 30 * MB

    g_tp = big_bytes / g_wall
    paired = [g / w for g, w in zip(g_walls, w_walls)]
    g_load, w_load = g_wall / g_spread[0] - 1, w_wall / w_spread[0] - 1
    steady = max(g_load, w_load) <= STEADY
    a_tp = big_bytes / a_time
    rows = [
        ("**Batch**", "", "", ""),
        (f"`galley check` on the {fmt_mb(big_bytes)} file ({big_chars:,} characters)",
         f"{fmt_s(g_wall)} ({fmt_spread(g_spread)})", f"{g_tp / MB:.1f} MB/s", ""),
        ("  its CPU time (user + system, median)", fmt_s(g_cpu), f"{g_cpu / g_wall:.2f} cores", ""),
        ("`wc -m` on the same file", f"{fmt_s(w_wall)} ({fmt_spread(w_spread)})", f"{big_bytes / w_wall / MB:.1f} MB/s", ""),
        (f"autocorrect-py {ac_version} `lint_for` on the same text ({a_found:,} findings)",
         f"{fmt_s(a_time)} ({fmt_spread(a_spread)})", f"{a_tp / MB:.1f} MB/s", ""),
        ("galley time / `wc -m` time", f"{g_wall / w_wall:.2f}×", "≤ 1.0×", verdict(g_wall <= w_wall)),
        ("  the same from the fastest runs", f"{g_spread[0] / w_spread[0]:.2f}×", "", ""),
        ("  run by run: each galley run over the `wc -m` run after it (median; lowest–highest)",
         f"{statistics.median(paired):.2f}× ({min(paired):.2f}–{max(paired):.2f}×)", "", ""),
        ("  the host's load: galley's / `wc -m`'s median over its fastest run (the same work each run)",
         f"+{g_load * 100:.0f}% / +{w_load * 100:.0f}%", f"both ≤ +{STEADY * 100:.0f}%: quiet", "quiet" if steady else "**busy**"),
        ("galley throughput / autocorrect-py throughput", f"{g_tp / a_tp:.1f}×", "≥ 20×", verdict(g_tp >= 20 * a_tp)),
        ("  the same file `--format sarif` / `--format github`",
         f"{fmt_s(sarif[0])} ({fmt_spread(sarif[3])}) / {fmt_s(github[0])} ({fmt_spread(github[3])})", "", ""),
        (f"`galley check DIR`, {SMALL_FILES:,} files of ~10 KB ({fmt_mb(folder_bytes)})", fmt_s(f_wall),
         f"{folder_bytes / f_wall / MB:.1f} MB/s", ""),
        (f"  CPU time / wall time ({os.cpu_count()} cores)", f"{f_parallel:.2f}", "parallel across cores",
         verdict(f_parallel >= 1.5)),
        ("**Server** (didChange → publishDiagnostics, one edit at a time)", "", "", ""),
        (f"10 KB document: open; {edits(s_edits)} p50 / p99", f"{fmt_s(s_open)}; {fmt_ms(s_p50)} / {fmt_ms(s_p99)}", "", ""),
        (f"seed {seed_name[:3]} ({len(doc_seed.encode('utf-8')) / 1024:.0f} KB): open; {edits(e_edits)} p50 / p99",
         f"{fmt_s(e_open)}; {fmt_ms(e_p50)} / {fmt_ms(e_p99)}", "", ""),
        (f"{fmt_mb(doc_big_bytes)} document: open; {edits(b_edits)} p50 / p99",
         f"{fmt_s(b_open)}; {fmt_ms(b_p50)} / {fmt_ms(b_p99)}", "", ""),
        ("p99 10 MB / p99 10 KB (medians of the runs)", f"{b_p99[0] / s_p99[0]:.2f}×", "≤ 2×", verdict(b_p99[0] <= 2 * s_p99[0])),
        ("  the same, run by run (lowest–highest)", f"{min(run_ratios):.2f}–{max(run_ratios):.2f}×", "", ""),
        ("  p50 10 MB / p50 10 KB (less noisy than the p99, the 198th of 200)", f"{b_p50[0] / s_p50[0]:.2f}×", "", ""),
        ("**Memory** (peak RSS)", "", "", ""),
        ("server holding the 10 MB document (VmHWM)", fmt_mb(hwm), f"≤ {fmt_mb(rss_target)} (4 × doc + 30 MB)",
         verdict(hwm <= rss_target)),
        (f"`galley check` on the {fmt_mb(big_bytes)} file", fmt_mb(g_rss), "", ""),
    ]
    table = ["| measure | figure | target | |", "| --- | --- | --- | --- |"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    notes = [
        f"Batch: each time is the median of {RUNS} runs taken by turns (fastest–slowest in brackets).",
        f"Server: each figure is the median of {SERVER_RUNS} fresh servers given the same edits (lowest–highest"
        " in brackets); each p99 is that of its own run's edits. Memory: the highest of the runs.",
        f"Server RSS: {fmt_mb(rss_before_big)} with the 10 KB document and the seed, {fmt_mb(rss_now)} at the end.",
        f"Folder: CPU/wall {f_parallel:.2f} — " + ("files are checked in parallel." if f_parallel >= 1.5
                                                   else "files are checked one after another (one core)."),
    ]
    if not steady:
        notes.append(f"The host was busy during the batch runs: galley and `wc -m` do the same work each run, yet"
                     f" in half of them took {g_load * 100:.0f}% and {w_load * 100:.0f}% more than in their fastest."
                     " Other work on the machine moves galley (both cores) and the one-core tools beside it by"
                     " different amounts, so the ratios of the medians carry it; the fastest runs are the steadier"
                     " figures. Re-run on a quiet machine for the verdicts.")
    report = "\n".join(table + [""] + notes)
    print(report)
    write(os.path.join(WORK, "results.md"), report + "\n")


if __name__ == "__main__":
    main()
