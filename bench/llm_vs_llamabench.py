#!/usr/bin/env python3
"""specgap llm beside llama.cpp's llama-bench (and optionally ik_llama.cpp's, with its fastest CPU
settings `-rtr 1 -fa 1 -fmoe 1`) on the same GGUF files, in the same run, on the same machine.

For each file, each round runs `llama-bench -t T -r R -p P -n N` and `specgap llm -m FILE` with the same
settings, in an order that rotates between rounds, so a machine that changes speed between runs hits
every tool alike. specgap's decode record also carries the read bandwidth its memory kernels measured between
its own decode repetitions, and the fraction of it that decode used.

The host's memory bandwidth may change between runs, even inside a round. With --read-beside, specgap's
read kernel is timed just before each tool's run (`specgap memory --ops read`), and each round's line
names the bandwidth every tool ran beside, so that a ratio taken across a change says so.

Prints per file and test (ppP, tgN): median over rounds of each tool's per-round median, the best round,
the spread (min-max), and the ratio specgap / llama-bench (median of per-round ratios).

llama-bench is not built here: pass the path of a llama.cpp build (--llama-bench). Run by hand on an
idle machine, not in CI:
  python3 bench/llm_vs_llamabench.py --llama-bench ~/llama.cpp/build/bin/llama-bench model-q4_0.gguf ...
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def llama_bench(exe, model, a, extra_args=()):
    out = json.loads(sh([exe, "-m", model, "-t", str(a.threads), "-r", str(a.reps), "-p", str(a.prompt),
                         "-n", str(a.gen), "-o", "json", *extra_args]))
    rates = {}
    for test in out:
        name = f"pp{test['n_prompt']}" if test["n_prompt"] else f"tg{test['n_gen']}"
        rates[name] = statistics.median(test["samples_ts"])
    return rates, {}


def specgap(exe, db, model, a):
    run = json.loads(sh([exe, "--db", db, "llm", "--json", "-m", model, "-t", str(a.threads), "-r", str(a.reps),
                         "-p", str(a.prompt), "-n", str(a.gen), "--no-request"]))
    rates, extra = {}, {}
    for r in run["results"]:
        if r["check"] != "passed":
            raise SystemExit(f"specgap {r['name']} check: {r['check']}")
        rates[r["name"]] = r["value"]
        if r["name"].startswith("tg"):
            extra = {k: r["params"].get(k) for k in ("effective_bandwidth_gbps", "read_bandwidth_gbps",
                                                      "fraction_of_read_bandwidth", "bytes_per_token")}
            extra["impl"] = r["impl"]
    return rates, extra


def read_beside(exe, db, threads):
    """GB/s of specgap's best read kernel over 512 MiB: a sample of the host's bandwidth now."""
    run = json.loads(sh([exe, "--db", db, "memory", "--json", "--ops", "read", "--size", "512M", "--reps", "3",
                         "-t", str(threads)]))
    return max(r["value"] for r in run["results"] if r["check"] == "passed")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="+")
    p.add_argument("--llama-bench", required=True)
    p.add_argument("--ik-llama-bench", help="ik_llama.cpp's llama-bench, run with -rtr 1 -fa 1 -fmoe 1")
    p.add_argument("--specgap", default=os.path.join(ROOT, "build", "specgap"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("-p", "--prompt", type=int, default=512)
    p.add_argument("-n", "--gen", type=int, default=128)
    p.add_argument("--read-beside", action="store_true", help="time the read kernel before each tool's run")
    a = p.parse_args()
    db = os.path.join(tempfile.mkdtemp(), "bench.db")
    peers = {"llama-bench": (a.llama_bench, ())}
    if a.ik_llama_bench:
        peers["ik_llama"] = (a.ik_llama_bench, ("-rtr", "1", "-fa", "1", "-fmoe", "1"))
    tools = ["specgap", *peers]
    for model in a.models:
        rounds = {t: [] for t in tools}
        extras = []
        for i in range(a.rounds):
            order = tools[i % len(tools):] + tools[:i % len(tools)]
            for tool in order:
                beside = f" (read beside: {read_beside(a.specgap, db, a.threads):.1f} GB/s)" if a.read_beside else ""
                if tool == "specgap":
                    rates, extra = specgap(a.specgap, db, model, a)
                    extras.append(extra)
                else:
                    rates, _ = llama_bench(*peers[tool][:1], model, a, peers[tool][1])
                rounds[tool].append(rates)
                print(f"  round {i + 1} {tool}: " + ", ".join(f"{k} {v:.2f}" for k, v in rates.items()) + beside,
                      flush=True)
        print(f"\n{os.path.basename(model)}")
        for test in rounds["specgap"][0]:
            ours = [r[test] for r in rounds["specgap"]]
            line = f"  {test}: specgap median {statistics.median(ours):.2f} best {max(ours):.2f} spread {min(ours):.2f}-{max(ours):.2f}"
            for peer in peers:
                theirs = [r[test] for r in rounds[peer]]
                ratios = [o / q for o, q in zip(ours, theirs)]
                line += (f" | {peer} median {statistics.median(theirs):.2f} best {max(theirs):.2f} spread "
                         f"{min(theirs):.2f}-{max(theirs):.2f}, ratio median {statistics.median(ratios):.3f} "
                         f"(per round {', '.join(f'{x:.3f}' for x in ratios)})")
            print(line)
        fr = [e["fraction_of_read_bandwidth"] for e in extras if e.get("fraction_of_read_bandwidth")]
        if fr:
            eff = ", ".join("%.1f" % e["effective_bandwidth_gbps"] for e in extras)
            bw = ", ".join("%.1f" % e["read_bandwidth_gbps"] for e in extras)
            per = ", ".join("%.3f" % x for x in fr)
            print(f"  decode: {extras[-1]['bytes_per_token'] / 1e6:.1f} MB/token; effective {eff} GB/s; "
                  f"read bandwidth {bw} GB/s; fraction median {statistics.median(fr):.3f} (per round {per}); "
                  f"kernels {extras[-1]['impl']}")


if __name__ == "__main__":
    main()
