#!/usr/bin/python3
"""PyTorch CPU baseline for issue 4: the teacher and student CNNs of ../shared/BENCHMARKS.md
trained on random 56x28x1 inputs, batch 64, Adam 1e-3. Prints training examples/s with 1 and 2
threads (threads interleaved, after warm-up, median of --repeats timed runs), after the CPU it runs on
(a "PYTORCH cpu:" line in the shape of io.readout.common.MachineCpu, the "cpu" field of every results file)."""
import argparse
import json
import os
import platform
import statistics
import time

import torch
import torch.nn as nn


def cnn(c1, c2, d, classes=2, h=56, w=28):
    return nn.Sequential(
        nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--nets", default="student,teacher")
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    torch.manual_seed(0)
    batches = [(torch.rand(64, 1, 56, 28), torch.randint(0, 2, (64,))) for _ in range(8)]
    threads = [int(t) for t in a.threads.split(",")]
    print("PYTORCH cpu: " + json.dumps(machine_cpu()))
    print(f"torch {torch.__version__}, {torch.backends.mkldnn.is_available()=}, "
          f"config: {torch.__config__.parallel_info().splitlines()[:3]}")
    for name in a.nets.split(","):
        model = cnn(*NETS[name])
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        n = 30 if name == "teacher" else 100

        def fit(steps):
            for i in range(steps):
                x, y = batches[i % len(batches)]
                opt.zero_grad(set_to_none=True)
                loss_fn(model(x), y).backward()
                opt.step()

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


if __name__ == "__main__":
    main()
