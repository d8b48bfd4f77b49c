#!/usr/bin/env python3
"""Bundles the raw per-run figures of a `readout pipeline --seeds ...` root into one small JSON file.

usage: docs/bench/pipeline-runs.py ROOT OUT.json

For every ROOT/seed=S/<run> (teacher, students/*) with a _SUCCESS: its config.json, history.json and
metrics/{val,test}.json, metrics/best/{val,test}.json and DEDIER's weights/epoch=N/summary.json, as
they are, keyed by seed and run folder; plus
the command and the cpu of ROOT/aggregate/results.json. The tables of docs/BENCHMARKS.md are generated from
the aggregate (results.json); this file keeps what the aggregate summarises, seed by seed.
"""
import json
import os
import sys


def read(path):
    with open(path) as f:
        return json.load(f)


def main(root, out):
    results = read(os.path.join(root, "aggregate", "results.json"))
    bundle = {"source": "readout pipeline per-run files, bundled by docs/bench/pipeline-runs.py",
              "command": results.get("command"), "cpu": results["cpu"], "seeds": {}}
    for seed_dir in sorted(d for d in os.listdir(root) if d.startswith("seed=")):
        runs = {}
        base = os.path.join(root, seed_dir)
        candidates = ["teacher"] + sorted("students/" + s for s in os.listdir(os.path.join(base, "students")))
        for run in candidates:
            d = os.path.join(base, run)
            if not os.path.exists(os.path.join(d, "_SUCCESS")):
                continue
            figures = {"config": read(os.path.join(d, "config.json")),
                       "history": read(os.path.join(d, "history.json")), "metrics": {}}
            for model, sub in (("final", "metrics"), ("best", os.path.join("metrics", "best"))):
                for split in ("val", "test"):
                    f = os.path.join(d, sub, split + ".json")
                    if os.path.exists(f):
                        figures["metrics"].setdefault(model, {})[split] = read(f)
            weights = os.path.join(d, "weights")
            if os.path.isdir(weights):
                figures["weights"] = {e.split("=", 1)[1]: read(os.path.join(weights, e, "summary.json"))
                                      for e in sorted(os.listdir(weights))
                                      if os.path.exists(os.path.join(weights, e, "summary.json"))}
            runs[run] = figures
        bundle["seeds"][seed_dir.split("=", 1)[1]] = runs
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(bundle, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    main(sys.argv[1], sys.argv[2])
