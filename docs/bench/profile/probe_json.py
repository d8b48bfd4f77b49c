#!/usr/bin/env python3
"""Turns TrainingStepProbe output (its PROBE lines) into a levers-*.json results file.

One JVM, variants side by side:
  probe_json.py --lever TEXT --command TEXT --load-before TEXT --load-after TEXT OUT probe.txt
Separate JVMs alternated (a lever read at JVM start, e.g. an environment variable), one output per JVM in run order:
  probe_json.py --lever TEXT --command TEXT OUT --runs LABEL=probe1.txt LABEL=probe2.txt ...
Per-round ratios against the first variant (or, with --runs, per pair of consecutive JVMs against the first label)
and their median are computed here, from the rounds as printed.
"""
import argparse
import json
import re
import statistics

LINE = re.compile(r'PROBE (\w+) variant=(\S+) threads=(\d+) median=(\d+) ex/s \(([\d.]+) ms/step\).*runs=\[([\d, ]+)\]'
                  r'.*score=([\d.]+)')
HARNESS = ("TrainingStepProbe (probes module): Networks.build(student|teacher), random 64x1x56x28 minibatches "
           "(8 reused), Adam 1e-3, 1 native thread (NativeKernels.limitThreads(1)); per round every variant fits the "
           "same minibatches in turn in one JVM (student 60, teacher 20 minibatches per round), 10 untimed warm-up "
           "steps each; median of rounds")


def parse(path):
    cpu, nets = None, {}
    for line in open(path):
        if line.startswith('PROBE cpu: '):
            cpu = json.loads(line[len('PROBE cpu: '):])
        m = LINE.search(line)
        if m:
            net, variant, _, median, ms, rounds, score = m.groups()
            nets.setdefault(net, {})[variant] = {
                'median_ex_per_s': int(median), 'ms_per_step': float(ms),
                'rounds_ex_per_s': [int(r) for r in rounds.split(',')], 'score_after_all_rounds': float(score)}
    return cpu, nets


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--lever', required=True)
    ap.add_argument('--command', required=True)
    ap.add_argument('--load-before')
    ap.add_argument('--load-after')
    ap.add_argument('--note')
    ap.add_argument('--distinct', type=int, default=8, help='the probe\'s -Dreadout.probe.distinct')
    ap.add_argument('--batch', type=int, default=64, help='the probe\'s -Dreadout.probe.batch')
    ap.add_argument('out')
    ap.add_argument('probe', nargs='?')
    ap.add_argument('--runs', nargs='+')
    a = ap.parse_args()
    harness = HARNESS if a.distinct == 8 else HARNESS.replace('(8 reused)', f'({a.distinct} reused)')
    harness = harness.replace('random 64x1x56x28', f'random {a.batch}x1x56x28')
    doc = {'harness': harness, 'lever': a.lever, 'command': a.command}
    if a.note:
        doc['note'] = a.note
    if a.runs is None:
        cpu, nets = parse(a.probe)
        doc = {'cpu': cpu, **doc, 'load_before': a.load_before, 'load_after': a.load_after, 'results': nets}
        ratios = {}
        for net, variants in nets.items():
            base = next(iter(variants))
            for v, r in variants.items():
                if v == base:
                    continue
                per_round = [x / y for x, y in zip(r['rounds_ex_per_s'], variants[base]['rounds_ex_per_s'])]
                ratios.setdefault(net, {})[v + ' / ' + base] = {
                    'per_round': [round(x, 3) for x in per_round], 'median': round(statistics.median(per_round), 3)}
        doc['ratios'] = ratios
    else:
        runs, cpu = [], None
        for i, spec in enumerate(a.runs):
            label, path = spec.split('=', 1)
            cpu, nets = parse(path)
            runs.append({'jvm': i + 1, 'env': label,
                         **{net: variants['default']['median_ex_per_s'] for net, variants in nets.items()},
                         'rounds_ex_per_s': {net: variants['default']['rounds_ex_per_s'] for net, variants in nets.items()}})
        labels = list(dict.fromkeys(r['env'] for r in runs))
        ratios = {}
        for net in runs[0]['rounds_ex_per_s']:
            pairs = [(runs[i], runs[i + 1]) for i in range(0, len(runs) - 1, 2)]
            per_pair = [b[net] / a_[net] for a_, b in pairs]
            ratios[net] = {'per_pair': [round(x, 3) for x in per_pair], 'median': round(statistics.median(per_pair), 3)}
        doc = {'cpu': cpu, **doc, 'runs': runs, 'ratios': {labels[1] + ' / ' + labels[0]: ratios}}
    with open(a.out, 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
