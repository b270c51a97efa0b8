#!/usr/bin/env python3
"""Two builds of specgap on the same command, paired round by round: is a change neutral for the figures?

Each round runs `BEFORE ARGS --json` and `AFTER ARGS --json` one right after the other, the order
alternating between rounds, so that a host that changes speed between minutes hits both alike. Every
result that passed its check is keyed by suite, name, dtype and impl-free params (its figure may come
from another kernel in the other build; the impl is printed). Per figure it prints each build's median
over rounds, best round and spread (min-max), and the ratio after/before: the median of the per-round
ratios, their spread, and how many rounds were at or above 1.0.

Run by hand on an idle machine, never in CI, e.g. for a refactoring that must not move a figure:
  python3 bench/before_after.py /tmp/specgap-before build/specgap --rounds 5 -- memory --reps 5
  python3 bench/before_after.py /tmp/specgap-before build/specgap -- compute --peak
  python3 bench/before_after.py /tmp/specgap-before build/specgap -- llm --preset llama-3.2-1b --quant q4_0 -r 3
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def run(exe, db, args):
    p = subprocess.run([exe, "--db", db, *args, "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{exe} {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    figures = {}
    for r in json.loads(p.stdout)["results"]:
        if r.get("check") != "passed" or r.get("value") is None:
            continue
        key = " ".join(str(x) for x in (r["suite"], r["name"], r.get("dtype") or "") if x) + f" [{r['unit']}]"
        figures[key] = (r["value"], r.get("impl", ""))
    return figures


def spread(values):
    return f"{statistics.median(values):.4g} / {max(values):.4g} / {min(values):.4g}-{max(values):.4g}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--rounds", type=int, default=5)
    # Everything after "--" is the specgap command, whose flags argparse must not read as ours.
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    a = p.parse_args(argv[:cut])
    args = argv[cut + 1:]
    if not args:
        p.error("give the specgap command after --")
    rounds = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.rounds):
            order = ["before", "after"] if i % 2 == 0 else ["after", "before"]
            for which in order:
                rounds[which].append(run(getattr(a, which), os.path.join(tmp, which + ".db"), args))
            print(f"round {i + 1}/{a.rounds} done ({' then '.join(order)})", flush=True)
    keys = [k for k in rounds["before"][0] if all(k in r for side in rounds.values() for r in side)]
    print(f"\n{'figure':34} {'before: median / best / spread':36} {'after: median / best / spread':36} "
          f"after/before: median, spread (rounds >= 1.0)")
    for k in keys:
        b = [r[k][0] for r in rounds["before"]]
        f = [r[k][0] for r in rounds["after"]]
        ratios = [y / x for x, y in zip(b, f) if x > 0]
        impls = {r[k][1] for side in rounds.values() for r in side}
        print(f"{k:34} {spread(b):36} {spread(f):36} {statistics.median(ratios):.3f}, "
              f"{min(ratios):.3f}-{max(ratios):.3f} ({sum(x >= 1.0 for x in ratios)} of {len(ratios)})"
              f"  impl {'/'.join(sorted(i for i in impls if i))}")


if __name__ == "__main__":
    main()
