#!/usr/bin/env python3
"""specgap's compute figures beside its peers, measured in the same run on the same machine.

Peak: specgap's peak kernels against likwid-bench's peakflops kernels (Debian's likwid), fp64 and fp32.
GEMM at one shape (default 4096): specgap's GEMM figure against direct calls of the same libraries,
outside specgap: OpenBLAS (bench/peers/blas_gemm.c) with the environment as it is and with
OPENBLAS_CORETYPE unset, and oneDNN matmul (bench/peers/onednn_matmul.cpp) for fp32, bf16 and int8,
with B plain and with B packed into oneDNN's own layout once before timing (benchdnn's default).
Each round takes the dtypes one at a time and runs specgap for that dtype and every peer of it, in an
order rotated between rounds, so each figure is timed beside its peers within the same minute (a whole
specgap run beside all the peers had put its last dtype a minute and a half from its peer's). Prints per figure: median over rounds, best round, spread (min-max), and the
ratio specgap / best peer (median over rounds, and per round against that round's best peer).

Run by hand on an idle machine, not in CI:  python3 bench/compute_vs_peers.py --rounds 5
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--specgap", default=os.path.join(ROOT, "build/specgap"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--shape", type=int, default=4096)
    ap.add_argument("--reps", type=int, default=5, help="timed calls per tool and round")
    args = ap.parse_args()
    threads = len(os.sched_getaffinity(0))
    tmp = tempfile.mkdtemp(prefix="specgap-bench-")
    blas, dnnl = build_peers(tmp)
    db = os.path.join(tmp, "results.db")
    unset = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    cap = os.environ.get("OPENBLAS_CORETYPE")
    n = args.shape

    fig = {}  # (part, dtype) -> tool -> [values per round]
    kernels = {}

    def add(key, tool, value, kernel=None):
        if value is not None:
            fig.setdefault(key, {}).setdefault(tool, []).append(value)
            if kernel:
                kernels.setdefault((key, tool), set()).add(kernel)

    def run_specgap(want):
        for (name, dtype), (value, impl, params) in specgap(args.specgap, db, [
                "--dtype", want, "--reps", str(args.reps), "--shape", str(n)]).items():
            add((name, dtype), "specgap", value, impl + (" " + params.get("kernel", "") if name == "gemm" else ""))
            if name == "peak" and params.get("theoretical_peak"):
                add((name, dtype), "theoretical at clock", params["theoretical_peak"]["value"] * 1000)

    def run_likwid(want):
        for dtype, ks in LIKWID.items():
            if dtype != want:
                continue
            for k in ks:
                add(("peak", dtype), "likwid " + k, likwid(k, threads))

    def run_openblas(want):
        for dtype, letter in (("fp64", "d"), ("fp32", "s")):
            if dtype != want:
                continue
            for label, env in ((f"OPENBLAS_CORETYPE={cap}" if cap else "as found", None),
                               ("OPENBLAS_CORETYPE unset", unset)):
                if env is not None and not cap:
                    continue
                v, kernel = reps_median(sh([blas, letter, str(n), str(args.reps)], env=env))
                add(("gemm", dtype), f"openblas ({label})", v, kernel)

    refused = set()  # (dtype, layout) the oneDNN peer cannot run on this CPU (no bf16 matmul on AVX2, say)

    def run_onednn(want):
        for dtype, t in ONEDNN.items():
            if dtype != want:
                continue
            for layout in ("plain", "packed"):
                if (dtype, layout) in refused:
                    continue
                try:
                    v, kernel = reps_median(sh([dnnl, t, str(n), str(n), str(n), str(args.reps), layout]))
                except subprocess.CalledProcessError as e:
                    refused.add((dtype, layout))
                    print(f"onednn {dtype} ({layout}) does not run here ({e}); left out", file=sys.stderr)
                    continue
                add(("gemm", dtype), "onednn" if layout == "plain" else "onednn (B packed)", v, kernel)

    tools = [run_specgap, run_likwid, run_openblas, run_onednn]
    for rnd in range(args.rounds):
        for dtype in ("fp64", "fp32", "bf16", "int8"):
            for tool in tools[rnd % len(tools):] + tools[:rnd % len(tools)]:
                tool(dtype)
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

    print(f"\nG(FL)OP/s, {threads} threads, GEMM {n}x{n}x{n}, {args.rounds} interleaved rounds: "
          "median, best round, spread")
    for key in sorted(fig):
        f = fig[key]
        print(f"\n{key[0]} {key[1]}")
        for tool, values in f.items():
            k = ", ".join(sorted(kernels.get((key, tool), [])))
            print(f"  {tool:40s} {describe(values)}  {k}")
        peers = {t: v for t, v in f.items() if t not in ("specgap", "theoretical at clock")}
        if "specgap" not in f:
            continue
        if "theoretical at clock" in f:
            frac = [s / p for s, p in zip(f["specgap"], f["theoretical at clock"])]
            print(f"  specgap / theoretical peak at its clock: median {statistics.median(frac):.3f} "
                  f"(rounds {min(frac):.3f}-{max(frac):.3f})")
        if not peers:
            continue
        best = max(peers, key=lambda t: statistics.median(peers[t]))
        ratio = statistics.median(f["specgap"]) / statistics.median(peers[best])
        rounds = min(len(v) for v in peers.values())
        per_round = [f["specgap"][i] / max(p[i] for p in peers.values()) for i in range(min(rounds, len(f["specgap"])))]
        print(f"  ratio specgap / best peer ({best}): {ratio:.3f} "
              f"(per round vs that round's best peer: {min(per_round):.3f}-{max(per_round):.3f})")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
