#!/usr/bin/python3
"""PyTorch CPU baseline for issues 4 and 17: the teacher and student CNNs of ../shared/BENCHMARKS.md
trained on random inputs (56x28x1 unless --shape), batch 64, Adam 1e-3.

Default mode: prints training examples/s with 1 and 2 threads (threads interleaved, after warm-up, median
of --repeats timed runs), after the CPU it runs on (a "PYTORCH cpu:" line in the shape of
io.readout.common.MachineCpu, the "cpu" field of every results file).

Two modes for `readout bench compare`, which runs this script once per measurement and reads one JSON
line from stdout:
  --info   torch's version, the CPU capability its kernels dispatch to, its BLAS (the library actually
           loaded, read from /proc/self/maps after a matrix product), its oneDNN (MKL-DNN) and the CPU;
  --once   one net (--nets) on one thread count (--threads): --warmup-steps untimed minibatches, then
           one timed pass over --examples examples (full minibatches of --batch, the rest in a last one);
           prints examples/s and process CPU time / wall time (the cores in use)."""
import argparse
import json
import os
import platform
import re
import statistics
import sys
import time

import torch
import torch.nn as nn


def cnn(c1, c2, d, classes=2, channels=1, h=56, w=28):
    return nn.Sequential(
        nn.Conv2d(channels, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(c2 * (h // 4) * (w // 4), d), nn.ReLU(),
        nn.Linear(d, classes))  # softmax inside CrossEntropyLoss


NETS = {"teacher": (32, 64, 128), "student": (8, 16, 32)}
ONEDNN_ISA = ["avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"]  # as MachineCpu.ONEDNN_ISA


def machine_cpu():
    """The first processor's model name and flags from /proc/cpuinfo, else the architecture alone."""
    model, flags = None, None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if not line.strip() and model is not None:
                    break
                if key.strip() == "model name" and model is None:
                    model = value.strip()
                elif key.strip() == "flags" and flags is None:
                    flags = set(value.split())
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0))
    if not model:
        return {"model": f"unknown {platform.machine()} CPU (no model name in /proc/cpuinfo)",
                "cores": cores, "isa": None, "source": "os.arch"}
    return {"model": model, "cores": cores, "isa": None if flags is None else [f for f in ONEDNN_ISA if f in flags],
            "source": "/proc/cpuinfo"}


def loaded_libraries(pattern):
    """Resolved paths of the shared libraries of this process whose file name matches pattern."""
    found = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if path.startswith("/") and re.search(pattern, os.path.basename(path)):
                    real = os.path.realpath(path)
                    if real not in found:
                        found.append(real)
    except OSError:
        pass
    return found


def torch_info():
    """What runs torch's kernels: version, CPU capability, BLAS (as built and as loaded), oneDNN, threads."""
    shown = torch.__config__.show()
    capability = None
    if hasattr(torch.backends, "cpu") and hasattr(torch.backends.cpu, "get_cpu_capability"):
        capability = torch.backends.cpu.get_cpu_capability()
    else:
        m = re.search(r"CPU capability usage: (\S+)", shown)
        capability = m.group(1) if m else None
    a = torch.rand(64, 64)
    (a @ a).sum().item()  # loads the BLAS library, if it is loaded lazily
    blas_info = re.search(r"BLAS_INFO=([^,\s]+)", shown)
    onednn = re.search(r"(?:MKL-DNN|oneDNN) (v[\d.]+)", shown)
    return {"python": sys.executable, "torch": torch.__version__, "cpu_capability": capability,
            "blas_info": blas_info.group(1) if blas_info else None,
            "blas_loaded": loaded_libraries(r"blas|mkl_rt|mkl_core"),
            "mkldnn": onednn.group(1) if onednn and torch.backends.mkldnn.is_available() else None,
            "parallel": torch.__config__.parallel_info().splitlines()[-1].strip(),
            "cpu": machine_cpu()}


def batches_of(examples, batch, shape, classes, distinct=8):
    """Minibatch sizes covering `examples` (full ones, then the rest) and `distinct` random batches to cycle."""
    sizes = [batch] * (examples // batch) + ([examples % batch] if examples % batch else [])
    data = [(torch.rand(batch, *shape), torch.randint(0, classes, (batch,))) for _ in range(distinct)]
    return sizes, data


def trainer(name, shape, classes):
    model = cnn(*NETS[name], classes=classes, channels=shape[0], h=shape[1], w=shape[2])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    return step


def once(a):
    """One timed run of one net on one thread count, as one JSON line."""
    nets, threads = a.nets.split(","), [int(t) for t in a.threads.split(",")]
    if len(nets) != 1 or len(threads) != 1:
        sys.exit("pytorch_baseline.py: --once takes one net (--nets) and one thread count (--threads)")
    shape = [int(s) for s in a.shape.split(",")]
    torch.set_num_threads(threads[0])
    torch.manual_seed(a.seed)
    sizes, data = batches_of(a.examples, a.batch, shape, a.classes)
    step = trainer(nets[0], shape, a.classes)
    for i in range(a.warmup_steps):
        step(*data[i % len(data)])
    t0, c0 = time.perf_counter(), time.process_time()
    for i, n in enumerate(sizes):
        x, y = data[i % len(data)]
        step(x[:n], y[:n])
    wall = time.perf_counter() - t0
    print(json.dumps({"net": nets[0], "threads": threads[0], "torch_threads": torch.get_num_threads(),
                      "examples": a.examples, "batch": a.batch, "shape": shape, "classes": a.classes,
                      "warmup_steps": a.warmup_steps, "seconds": wall, "examples_per_second": a.examples / wall,
                      "process_cpu_per_wall": (time.process_time() - c0) / wall}))


def table(a):
    """The default mode: every net and thread count, threads interleaved, medians of --repeats."""
    torch.manual_seed(a.seed)
    shape = [int(s) for s in a.shape.split(",")]
    batches = [(torch.rand(64, *shape), torch.randint(0, a.classes, (64,))) for _ in range(8)]
    threads = [int(t) for t in a.threads.split(",")]
    print("PYTORCH cpu: " + json.dumps(machine_cpu()))
    print(f"torch {torch.__version__}, {torch.backends.mkldnn.is_available()=}, "
          f"config: {torch.__config__.parallel_info().splitlines()[:3]}")
    for name in a.nets.split(","):
        step = trainer(name, shape, a.classes)
        n = 30 if name == "teacher" else 100

        def fit(steps):
            for i in range(steps):
                step(*batches[i % len(batches)])

        for t in threads:  # warm-up
            torch.set_num_threads(t)
            fit(10)
        rates = {t: [] for t in threads}
        cpu = {t: [] for t in threads}
        for _ in range(a.repeats):
            for t in threads:
                torch.set_num_threads(t)
                t0, c0 = time.perf_counter(), time.process_time()
                fit(n)
                wall = time.perf_counter() - t0
                rates[t].append(n * 64 / wall)
                cpu[t].append((time.process_time() - c0) / wall)  # process CPU / wall: cores in use
        for t in threads:
            print(f"PYTORCH {name} threads={t} median={statistics.median(rates[t]):.0f} ex/s "
                  f"runs={[round(r) for r in rates[t]]} process CPU/wall={[round(c, 2) for c in cpu[t]]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nets", default="student,teacher")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--shape", default="1,56,28", help="channels,height,width of the inputs")
    ap.add_argument("--classes", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--info", action="store_true", help="print torch and CPU facts as JSON, then exit")
    ap.add_argument("--once", action="store_true", help="one timed run of one net on one thread count, as JSON")
    ap.add_argument("--examples", type=int, default=6400, help="--once: examples of the timed run")
    ap.add_argument("--batch", type=int, default=64, help="--once: minibatch size")
    ap.add_argument("--warmup-steps", type=int, default=10, help="--once: untimed minibatches first")
    a = ap.parse_args()
    if a.info:
        print(json.dumps(torch_info()))
    elif a.once:
        once(a)
    else:
        table(a)


if __name__ == "__main__":
    main()
