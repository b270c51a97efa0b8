#!/usr/bin/env python3
"""specgap's compute figures beside its peers, measured in the same run on the same machine.

Peak: specgap's peak kernels against likwid-bench's peakflops kernels (Debian's likwid), fp64 and fp32.
GEMM at one shape (default 4096): specgap's GEMM figure against direct calls of the same libraries,
outside specgap: OpenBLAS (bench/peers/blas_gemm.c) with the environment as it is and with
OPENBLAS_CORETYPE unset, and oneDNN matmul (bench/peers/onednn_matmul.cpp) for fp32, bf16 and int8,
with B plain and with B packed into oneDNN's own layout once before timing (benchdnn's default).
Every figure is a pair measured side by side in each round: specgap restricted to one kind of kernel
(peak, or one GEMM library) and the peer doing the same, the order alternating between rounds, so
that what the shared host does to one side in a minute it does to the other. Pairs of different
figures follow one another round-robin. Prints per figure: median over rounds, best round and spread
(min-max) of each side, and the ratio specgap / best peer taken round by round: its median, best,
spread and how many rounds were at or above 1.0. Last, per GEMM dtype, specgap's best library against
the best direct call, round by round (the issue's bar: the harness loses nothing).

Run by hand on an idle machine, not in CI:  python3 bench/compute_vs_peers.py --rounds 9
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
OPENBLAS_INC = "/usr/include/x86_64-linux-gnu/openblas-pthread"
OPENBLAS_LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread"

# likwid-bench peakflops kernels per dtype (FMA and non-FMA, AVX-512 and AVX2): the best one counts.
LIKWID = {"fp64": ["peakflops_avx512_fma", "peakflops_avx_fma", "peakflops_avx512"],
          "fp32": ["peakflops_sp_avx512_fma", "peakflops_sp_avx_fma", "peakflops_sp_avx512"]}
ONEDNN = {"fp32": "f32", "bf16": "bf16", "int8": "int8"}


def sh(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def build_peers(tmp):
    blas = os.path.join(tmp, "blas_gemm")
    sh(["gcc", "-O2", f"-I{OPENBLAS_INC}", os.path.join(ROOT, "bench/peers/blas_gemm.c"), "-o", blas,
        f"-L{OPENBLAS_LIB}", "-lopenblas", f"-Wl,-rpath,{OPENBLAS_LIB}"])
    dnnl = os.path.join(tmp, "onednn_matmul")
    sh(["g++", "-O2", "-std=c++17", os.path.join(ROOT, "bench/peers/onednn_matmul.cpp"), "-o", dnnl, "-ldnnl"])
    return blas, dnnl


def specgap(exe, db, args):
    run = json.loads(sh([exe, "--db", db, "compute", "--json"] + args))
    out = {}
    for r in run["results"]:
        if r["check"].startswith("failed"):
            sys.exit(f"specgap {r['name']} {r['dtype']} failed its check: {r['check']}")
        if r["check"] == "passed":
            out[(r["name"], r["dtype"])] = (r["value"] * 1000, r["impl"], r["params"])  # G-units
    return out


def likwid(kernel, threads):
    try:
        out = sh(["likwid-bench", "-t", kernel, "-w", f"N:{16 * threads}kB:{threads}"])
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    m = re.search(r"MFlops/s:\s+([0-9.]+)", out)
    return float(m.group(1)) / 1000 if m else None


def reps_median(out):
    kernel = re.search(r"kernel (\S+)", out).group(1)
    return statistics.median(float(line.split()[2]) for line in out.splitlines() if line.startswith("rep ")), kernel


def describe(values):
    return f"{statistics.median(values):8.1f} {max(values):8.1f} {min(values):8.1f}-{max(values):<8.1f}"


class Figure:
    """One comparison: specgap's figure and its peers', each measured once per round, side by side."""

    def __init__(self, part, dtype, label, ours, peers):
        self.part, self.dtype, self.label = part, dtype, label
        self.ours = ours    # () -> (value, kernel, theoretical or None)
        self.peers = peers  # {peer name: () -> (value or None, kernel)}
        self.values = {}    # tool -> [value per round]
        self.kernels = {}   # tool -> {kernel}
        self.theoretical = []
        self.pairs = []     # per round: (specgap, best peer that round)

    def add(self, tool, value, kernel):
        if value is not None:
            self.values.setdefault(tool, []).append(value)
            self.kernels.setdefault(tool, set()).add(kernel)
        return value

    def run_round(self, ours_first):
        def run_ours():
            value, kernel, theoretical = self.ours()
            if theoretical:
                self.theoretical.append(theoretical)
            return self.add("specgap", value, kernel)

        def run_peers():
            return [self.add(name, *fn()) for name, fn in self.peers.items()]

        if ours_first:
            ours, peers = run_ours(), run_peers()
        else:
            peers, ours = run_peers(), run_ours()
        peers = [p for p in peers if p is not None]
        if ours is not None and peers:
            self.pairs.append((ours, max(peers)))

    def report(self):
        print(f"\n{self.part} {self.dtype}{' (' + self.label + ')' if self.label else ''}")
        for tool, values in self.values.items():
            print(f"  {tool:36s} {describe(values)}  {', '.join(sorted(self.kernels[tool]))}")
        if self.theoretical:
            frac = [s / t for s, t in zip(self.values.get("specgap", []), self.theoretical)]
            print(f"  specgap / theoretical peak at its clock: median {statistics.median(frac):.3f} "
                  f"(rounds {min(frac):.3f}-{max(frac):.3f})")
        if self.pairs:
            ratios = [s / p for s, p in self.pairs]
            print(f"  ratio specgap / best peer of its round: median {statistics.median(ratios):.3f}, "
                  f"best {max(ratios):.3f}, spread {min(ratios):.3f}-{max(ratios):.3f}, "
                  f"{sum(r >= 1.0 for r in ratios)} of {len(ratios)} rounds at or above 1.0")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specgap", default=os.path.join(ROOT, "build/specgap"))
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--shape", type=int, default=4096)
    ap.add_argument("--reps", type=int, default=3, help="timed GEMM calls per tool and round")
    ap.add_argument("--peak-reps", type=int, default=10, help="specgap peak repetitions (0.1 s each) per round")
    ap.add_argument("--dtypes", nargs="+", default=["fp64", "fp32", "bf16", "int8"])
    args = ap.parse_args()
    threads = len(os.sched_getaffinity(0))
    tmp = tempfile.mkdtemp(prefix="specgap-bench-")
    blas, dnnl = build_peers(tmp)
    db = os.path.join(tmp, "results.db")
    unset = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    cap = os.environ.get("OPENBLAS_CORETYPE")
    n = str(args.shape)

    def ours(flags, name, dtype):
        def run():
            got = specgap(args.specgap, db, flags).get((name, dtype))
            if got is None:
                return None, "", None
            value, impl, params = got
            theoretical = params.get("theoretical_peak", {}).get("value") if name == "peak" else None
            kernel = impl + (" " + params.get("kernel", "") if name == "gemm" else "")
            return value, kernel, theoretical * 1000 if theoretical else None
        return run

    def direct(cmd, env=None):
        def run():
            try:
                return reps_median(sh(cmd, env=env))
            except subprocess.CalledProcessError:
                return None, ""
        return run

    figures = []
    for dtype in args.dtypes:
        kernels = [k for k in LIKWID.get(dtype, []) if likwid(k, threads) is not None]
        if kernels:
            figures.append(Figure("peak", dtype, "", ours(["--peak", "--dtype", dtype, "--reps", str(args.peak_reps)],
                                                         "peak", dtype),
                                  {"likwid " + k: (lambda k=k: (likwid(k, threads), k)) for k in kernels}))
        gemm = ["--gemm", "--dtype", dtype, "--shape", n, "--reps", str(args.reps), "--library"]
        if dtype in ("fp64", "fp32"):
            letter = "d" if dtype == "fp64" else "s"
            peers = {f"openblas (OPENBLAS_CORETYPE={cap})" if cap else "openblas": direct([blas, letter, n, str(args.reps)])}
            if cap:
                peers["openblas (OPENBLAS_CORETYPE unset)"] = direct([blas, letter, n, str(args.reps)], unset)
            figures.append(Figure("gemm", dtype, "openblas", ours(gemm + ["openblas"], "gemm", dtype), peers))
        if dtype in ONEDNN:
            for layout, lib in (("plain", "onednn"), ("packed", "onednn-packed")):
                peer = direct([dnnl, ONEDNN[dtype], n, n, n, str(args.reps), layout])
                if direct([dnnl, ONEDNN[dtype], "64", "64", "64", "1", layout])()[0] is None:  # runs here?
                    print(f"onednn {dtype} ({layout}) does not run here; left out", file=sys.stderr)
                    continue
                figures.append(Figure("gemm", dtype, lib, ours(gemm + [lib], "gemm", dtype),
                                      {f"onednn ({'B packed' if layout == 'packed' else 'B plain'})": peer}))

    for rnd in range(args.rounds):
        for f in figures:
            f.run_round(ours_first=rnd % 2 == 0)
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

    print(f"\nG(FL)OP/s, {threads} threads, GEMM {n}x{n}x{n}, {args.rounds} rounds, specgap and its peers "
          "side by side in each, the order alternating: median, best round, spread")
    for f in figures:
        f.report()
    # The GEMM bar: specgap's best library against the best direct call, round by round.
    for dtype in args.dtypes:
        gemms = [f for f in figures if f.part == "gemm" and f.dtype == dtype]
        rounds = min((len(f.pairs) for f in gemms), default=0)
        if not gemms or rounds == 0:
            continue
        ratios = [max(f.pairs[i][0] for f in gemms) / max(f.pairs[i][1] for f in gemms) for i in range(rounds)]
        print(f"\ngemm {dtype}, specgap's best library / best direct call, per round: median "
              f"{statistics.median(ratios):.3f}, spread {min(ratios):.3f}-{max(ratios):.3f}, "
              f"{sum(r >= 1.0 for r in ratios)} of {rounds} at or above 1.0")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
