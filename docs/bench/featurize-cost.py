#!/usr/bin/env python3
"""The featurization's cost against a training epoch, from pipeline roots, as one small JSON file.

usage: docs/bench/featurize-cost.py OUT.json ROOT [ROOT ...]

For every featurize stage record under a ROOT (ROOT/stages/features.json or ROOT/seed=S/stages/features.json):
its wall seconds, the featurized table's rows (dataset.json counts) and input kind, and for the runs that read it
(the teacher and the students beside it) the mean wall seconds of one training epoch (history.json "seconds",
which includes the epoch's validation pass) with their training rows. The CPU is ROOT/aggregate/results.json's.
"""
import glob
import json
import os
import sys


def read(path):
    with open(path) as f:
        return json.load(f)


def runs_reading(features_dir, scope_dir):
    out = {}
    for cfg in sorted(glob.glob(os.path.join(scope_dir, "**", "config.json"), recursive=True)):
        run = os.path.dirname(cfg)
        c = read(cfg)
        if os.path.normpath(str(c.get("data", "")).replace("file:", "")) != os.path.normpath(features_dir):
            continue
        hist = os.path.join(run, "history.json")
        if not os.path.exists(hist) or "stage1" in run:
            continue
        epochs = read(hist)["epochs"]
        seconds = [e["seconds"] for e in epochs]
        out[os.path.relpath(run, scope_dir)] = {"arch": c.get("arch"), "method": c.get("method"),
                                                "epochs": len(epochs), "train_rows": epochs[0].get("train_rows"),
                                                "epoch_seconds_mean": sum(seconds) / len(seconds)}
    return out


def main(out, roots):
    records = []
    cpu = None
    for root in roots:
        results = os.path.join(root, "aggregate", "results.json")
        if cpu is None and os.path.exists(results):
            cpu = read(results)["cpu"]
        for rec in sorted(glob.glob(os.path.join(root, "stages", "features.json"))
                          + glob.glob(os.path.join(root, "seed=*", "stages", "features.json"))):
            scope_dir = os.path.dirname(os.path.dirname(rec))
            stage = read(rec)
            features = os.path.join(scope_dir, "features")
            dataset = read(os.path.join(features, "dataset.json"))
            rows = sum(v["total"] for v in dataset["counts"].values())
            runs = runs_reading(features, scope_dir)
            if not runs:
                runs = {k: v for s in sorted(glob.glob(os.path.join(root, "seed=*")))
                        for k, v in {os.path.basename(s) + "/" + r: f for r, f in runs_reading(features, s).items()}.items()}
            teacher = [r for r in runs.values() if r["arch"] == "teacher"]
            student = [r for r in runs.values() if r["arch"] == "student"]
            mean = lambda rs: sum(r["epoch_seconds_mean"] for r in rs) / len(rs) if rs else None
            records.append({"root": os.path.basename(os.path.normpath(root)), "stage": stage["stage"],
                            "featurize_seconds": stage["seconds"], "rows": rows,
                            "train_rows": dataset["counts"]["train"]["total"],
                            "input": dataset["featurization"]["input"],
                            "vocabulary": dataset["featurization"]["vocabulary"],
                            "teacher_epoch_seconds": mean(teacher), "student_epoch_seconds": mean(student),
                            "runs": runs})
    with open(out, "w") as f:
        json.dump({"source": "docs/bench/featurize-cost.py", "cpu": cpu, "records": records}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
