#!/usr/bin/python3
"""How much two busy threads get out of this machine's cores, for issue 17's Spark rows.

Each workload runs alone, then two copies at once (separate processes, one thread each), interleaved
--repeats times; the figure is each copy's throughput at once over the throughput alone (1.0: the two
cores are independent; 0.5: they share one core's arithmetic units, as two hyperthreads do):
  matmul          float32 256x256 matrix products in numpy on 1 BLAS thread (the floating-point units);
  integer loop    a Python counting loop (the integer pipeline);
  pytorch student docs/bench/pytorch_baseline.py --once, the student, 1 thread, batch 64;
  dl4j student    TrainingStepProbe, the student, 1 thread, at batch 64 and at 32 (a Spark worker's share
                  of the 64 in `bench compare`): two at once at 32 is what two Spark workers can fit
                  between averaging rounds, with no round at all.

usage: docs/bench/cores-check.py --out docs/bench/results/cores-check-intel.json [--repeats 2]
       docs/bench/cores-check.py --table docs/bench/results/cores-check-intel.json
The DL4J rows need `mvn -o -q -Pprobes -pl probes -am test-compile` and
`mvn -o -q dependency:build-classpath -pl common -Dmdep.outputFile=/tmp/readout-common-cp.txt` first
(docs/bench/profile/run.sh); the PyTorch row needs python3 with torch. Run from the repository root."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
MATMUL = """
import numpy, time
a = numpy.random.rand(256, 256).astype(numpy.float32); b = numpy.random.rand(256, 256).astype(numpy.float32)
for _ in range(50): a @ b
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 4:
    for _ in range(50): a @ b
    n += 50
print(n / (time.perf_counter() - t))
"""
LOOP = """
import time
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 4: n += 1
print(n / (time.perf_counter() - t))
"""


def lscpu():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    field = lambda k: next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith(k + ":")), None)
    return {"model": field("Model name"), "cpus": field("CPU(s)"), "threads_per_core": field("Thread(s) per core"),
            "hypervisor": field("Hypervisor vendor"), "l2": field("L2 cache"), "source": "lscpu"}


def python_figure(code):
    def run(count):
        procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                  env={**os.environ, **ONE_THREAD}) for _ in range(count)]
        return [float(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    return run


def pytorch_figure(python):
    cmd = [python, "docs/bench/pytorch_baseline.py", "--once", "--nets", "student", "--threads", "1",
           "--examples", "25600", "--batch", "64", "--warmup-steps", "20"]

    def run(count):
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, **ONE_THREAD})
                 for _ in range(count)]
        return [json.loads(p.communicate()[0].strip().splitlines()[-1])["examples_per_second"] for p in procs]
    return run


def dl4j_figure(batch):
    cmd = ["docs/bench/profile/run.sh", "-Dreadout.probe.nets=student", "-Dreadout.probe.repeats=3",
           "-Dreadout.probe.batches=" + str(12800 // batch), "-Dreadout.probe.batch=" + str(batch),
           "-Dreadout.probe.variants=default"]

    def run(count):
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(count)]
        figures = []
        for p in procs:
            out = p.communicate()[0]
            m = re.search(r"PROBE student variant=default threads=1 median=(\d+) ex/s", out)
            if not m:
                sys.exit("cores-check.py: no probe figure in:\n" + out[-2000:])
            figures.append(float(m.group(1)))
        return figures
    return run


def measure(name, unit, run, repeats):
    alone, pairs = [], []
    for r in range(repeats):
        alone += run(1)
        pairs.append(run(2))
        print(f"{name}, round {r + 1}: alone {alone[-1]:.0f}, two at once {pairs[-1][0]:.0f} + {pairs[-1][1]:.0f}"
              f" {unit}", file=sys.stderr)
    a = statistics.median(alone)
    each = statistics.median([x for p in pairs for x in p])
    total = statistics.median([sum(p) for p in pairs])
    return {"workload": name, "unit": unit, "alone": alone, "two_at_once": pairs, "alone_median": a,
            "each_at_once_median": each, "total_at_once_median": total, "each_over_alone": each / a,
            "total_over_alone": total / a}


def table(path):
    d = json.load(open(path))
    print("| workload | alone | each of two at once | both at once | each / alone | both / alone |")
    print("|---|---|---|---|---|---|")
    for w in d["workloads"]:
        f = lambda x: f"{x:,.0f}"
        print(f"| {w['workload']} | {f(w['alone_median'])} {w['unit']} | {f(w['each_at_once_median'])} | "
              f"{f(w['total_at_once_median'])} | {w['each_over_alone']:.2f} | {w['total_over_alone']:.2f} |")
    c = d["cpu"]
    print(f"\nGenerated by `docs/bench/cores-check.py --table {path}`. CPU: {c['model']}, {c['cpus']} CPUs, "
          f"{c['threads_per_core']} thread(s) per core as the guest sees it, hypervisor {c['hypervisor']}; "
          f"medians of {d['repeats']} rounds, measured {d['measured']}.")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out")
    ap.add_argument("--table")
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python with torch")
    ap.add_argument("--skip-dl4j", action="store_true")
    a = ap.parse_args()
    if a.table:
        table(a.table)
        return
    if not a.out:
        sys.exit("cores-check.py: --out FILE or --table FILE")
    workloads = [measure("matmul (numpy float32, 1 thread)", "products/s", python_figure(MATMUL), a.repeats),
                 measure("integer loop (Python)", "turns/s", python_figure(LOOP), a.repeats),
                 measure("pytorch student, batch 64, 1 thread", "ex/s", pytorch_figure(a.python), a.repeats)]
    if not a.skip_dl4j:
        workloads += [measure(f"dl4j student, batch {b}, 1 thread", "ex/s", dl4j_figure(b), a.repeats)
                      for b in (64, 32)]
    result = {"cpu": lscpu(), "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "repeats": a.repeats,
              "command": "docs/bench/cores-check.py --out " + a.out + " --repeats " + str(a.repeats),
              "workloads": workloads}
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(tmp, a.out)
    table(a.out)


if __name__ == "__main__":
    main()
