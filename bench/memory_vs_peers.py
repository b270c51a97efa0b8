#!/usr/bin/env python3
"""specgap's memory bandwidth beside its peers, measured in the same run on the same machine.

Peers: likwid-bench's kernels of the same ISA (Debian's likwid, installed here when missing and run as
root) and plain OpenMP loops (bench/peers/omp_loops.c, gcc -O3 -march=native -fopenmp). Each round runs
specgap and every peer once, in a rotated order, so a machine that changes speed between runs (this
kind of VM does) hits all of them alike. Prints, per kernel: the median over rounds, the best round and
the spread (min-max) of each, and the ratio specgap / best peer (median over rounds, and per round).

Run by hand on an idle machine, not in CI:  python3 bench/memory_vs_peers.py --rounds 7
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# specgap op -> (arrays touched, likwid kernels of the same work, omp_loops kernel)
KERNELS = {
    "copy": (2, ["copy_avx512", "copy_mem_avx512"], "copy"),
    "triad": (3, ["stream_avx512_fma", "stream_mem_avx512"], "triad"),
    "read": (1, ["load_avx512"], "read"),
    "write": (1, ["store_avx512", "store_mem_avx512"], "write"),
}


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def ensure_likwid():
    if shutil.which("likwid-bench"):
        return True
    if os.geteuid() != 0:
        print("likwid-bench missing: run as root to install Debian's likwid, or: sudo apt-get install likwid")
        return False
    subprocess.run(["apt-get", "install", "-y", "-qq", "likwid"], check=True)
    return shutil.which("likwid-bench") is not None


def build_omp(tmp):
    exe = os.path.join(tmp, "omp_loops")
    sh(["gcc", "-O3", "-march=native", "-fopenmp", os.path.join(ROOT, "bench/peers/omp_loops.c"), "-o", exe])
    return exe


def run_specgap(exe, db, size, threads, reps, ops):
    out = sh([exe, "--db", db, "memory", "--ops", ",".join(ops), "--size", str(size), "--threads", str(threads),
              "--reps", str(reps), "--json"])
    run = json.loads(out)
    got = {}
    for r in run["results"]:
        if r["check"] != "passed":
            sys.exit(f"specgap {r['name']} failed its check: {r['check']}")
        got[r["name"]] = (r["value"], r["impl"])
    return got


def run_likwid(kernel, ws_bytes, threads):
    try:
        out = sh(["likwid-bench", "-t", kernel, "-w", f"N:{ws_bytes // 1000}kB:{threads}"])
    except subprocess.CalledProcessError as e:
        print(f"likwid-bench {kernel} failed: {(e.stdout + e.stderr).strip().splitlines()[:1]}", file=sys.stderr)
        return None
    m = re.search(r"MByte/s:\s+([0-9.]+)", out)
    return float(m.group(1)) / 1000 if m else None


def run_omp(exe, size, threads, reps, kernel):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_PROC_BIND="close", OMP_PLACES="cores")
    out = sh([exe, str(size), str(reps), kernel], env=env)
    return statistics.median(float(line.split()[2]) for line in out.splitlines() if line.strip())


def describe(values):
    return f"{statistics.median(values):7.2f} {max(values):7.2f} {min(values):6.1f}-{max(values):<6.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specgap", default=os.path.join(ROOT, "build/specgap"))
    ap.add_argument("--size", type=int, default=1 << 30, help="bytes per array (default 1 GiB)")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reps", type=int, default=10, help="repetitions inside each specgap / omp run")
    ap.add_argument("--ops", default="copy,triad,read,write")
    args = ap.parse_args()
    ops = args.ops.split(",")
    have_likwid = ensure_likwid()
    tmp = tempfile.mkdtemp(prefix="specgap-bench-")
    omp = build_omp(tmp)
    db = os.path.join(tmp, "results.db")

    # figures[op][tool] = list over rounds; impls[op] = the variants specgap picked
    figures = {op: {} for op in ops}
    impls = {op: [] for op in ops}
    for rnd in range(args.rounds):
        tools = ["specgap", "omp"] + (["likwid"] if have_likwid else [])
        tools = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
        for tool in tools:
            if tool == "specgap":
                for op, (value, impl) in run_specgap(args.specgap, db, args.size, args.threads, args.reps, ops).items():
                    figures[op].setdefault("specgap", []).append(value)
                    impls[op].append(impl)
            elif tool == "omp":
                for op in ops:
                    figures[op].setdefault("omp-loops", []).append(
                        run_omp(omp, args.size, args.threads, args.reps, KERNELS[op][2]))
            else:
                for op in ops:
                    arrays, kernels, _ = KERNELS[op]
                    for k in kernels:
                        v = run_likwid(k, arrays * args.size, args.threads)
                        if v is not None:
                            figures[op].setdefault("likwid " + k, []).append(v)
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

    print(f"\nGB/s (1e9 B, STREAM counting), {args.threads} threads, {args.size} bytes per array, "
          f"{args.rounds} interleaved rounds: median, best round, spread")
    for op in ops:
        f = figures[op]
        print(f"\n{op}  (specgap impl per round: {', '.join(impls[op])})")
        for tool, values in f.items():
            print(f"  {tool:32s} {describe(values)}")
        peers = {t: v for t, v in f.items() if t != "specgap"}
        if not peers:
            continue
        best_peer = max(peers, key=lambda t: statistics.median(peers[t]))
        ratio = statistics.median(f["specgap"]) / statistics.median(peers[best_peer])
        per_round = [s / max(p[i] for p in peers.values()) for i, s in enumerate(f["specgap"])]
        print(f"  ratio specgap / best peer ({best_peer}): {ratio:.3f} "
              f"(per round vs that round's best peer: {min(per_round):.3f}-{max(per_round):.3f})")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
