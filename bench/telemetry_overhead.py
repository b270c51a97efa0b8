#!/usr/bin/env python3
"""What telemetry costs a suite: runs the same specgap command with sampling on (--sample-hz 10) and
off (--sample-hz 0) in alternating order, round after round, and prints each side's median, best and
spread and the on/off ratio per round. Run by hand on an idle machine, not in CI.

  python3 bench/telemetry_overhead.py --rounds 7 -- memory --ops triad --impl avx2-nt
  python3 bench/telemetry_overhead.py --rounds 7 --result peak --per-clock -- compute --peak --dtype fp32
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def run(binary, db, hz, args, result, per_clock):
    out = subprocess.run([binary, "--db", db, "--json", "--sample-hz", str(hz)] + args,
                         check=True, capture_output=True, text=True).stdout
    run = json.loads(out)
    # --per-clock: the figure per GHz of the clock measured in the same repetitions (compute peak), so
    # that cycles a shared host gives to its other guests do not count against either side.
    values = [r["value"] / (r["params"]["clock_ghz"] if per_clock else 1)
              for r in run["results"] if r["name"] == result and r["value"] is not None]
    if not values:
        sys.exit(f"no result named {result} in: {' '.join(args)}")
    return values[0], len(run["telemetry"]["timeline"])


def describe(values):
    return f"{statistics.median(values):.4g} / {max(values):.4g} / {min(values):.4g}-{max(values):.4g}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default="build/specgap")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--hz", type=float, default=10)
    p.add_argument("--result", default="triad", help="the result name to compare")
    p.add_argument("--per-clock", action="store_true", help="divide by params.clock_ghz (compute peak)")
    p.add_argument("args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    on, off, ratios = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "results.db")
        for i in range(a.rounds):
            # Alternate which side goes first, so a machine that drifts favours neither.
            order = [a.hz, 0] if i % 2 == 0 else [0, a.hz]
            got = {hz: run(a.binary, db, hz, args, a.result, a.per_clock) for hz in order}
            on.append(got[a.hz][0])
            off.append(got[0][0])
            ratios.append(on[-1] / off[-1])
            print(f"round {i + 1}: on {on[-1]:.4g} ({got[a.hz][1]} ticks)  off {off[-1]:.4g}  on/off {ratios[-1]:.4f}",
                  flush=True)
    print(f"sampling on  ({a.hz:g} Hz), median / best / spread: {describe(on)}")
    print(f"sampling off,             median / best / spread: {describe(off)}")
    print(f"on/off per round: median {statistics.median(ratios):.4f}, range {min(ratios):.4f}-{max(ratios):.4f}; "
          f"ratio of medians {statistics.median(on) / statistics.median(off):.4f}")


if __name__ == "__main__":
    main()
