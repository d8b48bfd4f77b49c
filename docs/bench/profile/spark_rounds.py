#!/usr/bin/env python3
"""Where a Spark parameter-averaging fit's time goes, from a Spark event log (spark.eventLog.enabled=true).

usage: spark_rounds.py EVENT_LOG_FILE --compare COMPARE.json [--label TEXT]
                       [--min-result-bytes B --max-result-bytes B] > summary.json

COMPARE.json is the same run's results file (--out): its cpu and Spark figures are copied.

The timed fits of `readout bench compare --repeats 1 --archs NET --conf spark.eventLog.enabled=true
--conf spark.eventLog.dir=file:DIR` (the last fit in the log: the jobs after the last gap of more than 5 s, which
is the single-process and PyTorch runs in between); with --min/--max-result-bytes, the last fit with a task
result of that size (e.g. 5e6 to 2e7 for the teacher's 10 MB rounds, when the log holds both nets). A round is
a job whose tasks return a worker result (a result of more than 10 kB per task); the jobs before the first round are the fit's own (dl4j-spark's count, the minibatch
RDD's shuffle and assembly). Per round, medians: the job's wall time, each task's wall time (launch to the driver's
finish), its executor run time (network build, setting parameters, the K minibatches, the result's arrays), its
result serialization, the task's remaining wall time (result transfer and deserialization on the driver, task
launch), and the driver's gap before the next job (summing the results, the next broadcast).
"""
import argparse
import json
import statistics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('log')
    ap.add_argument('--label', default='')
    ap.add_argument('--compare', required=True)
    ap.add_argument('--min-result-bytes', type=float, default=0,
                    help='take the last fit with a task result of at least this size (one net of several)')
    ap.add_argument('--max-result-bytes', type=float, default=float('inf'),
                    help='... and at most this size')
    a = ap.parse_args()
    jobs, tasks = {}, {}
    for line in open(a.log):
        e = json.loads(line)
        kind = e['Event']
        if kind == 'SparkListenerJobStart':
            jobs[e['Job ID']] = {'start': e['Submission Time'], 'stages': e['Stage IDs']}
        elif kind == 'SparkListenerJobEnd':
            jobs[e['Job ID']]['end'] = e['Completion Time']
        elif kind == 'SparkListenerTaskEnd':
            info, m = e['Task Info'], e.get('Task Metrics', {})
            tasks.setdefault(e['Stage ID'], []).append({
                'wall': info['Finish Time'] - info['Launch Time'], 'run': m.get('Executor Run Time', 0),
                'ser': m.get('Result Serialization Time', 0), 'size': m.get('Result Size', 0)})
    ids = sorted(jobs)
    fits, start = [], 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or jobs[ids[i]]['start'] - jobs[ids[i - 1]]['end'] > 5000:
            fits.append(ids[start:i])
            start = i

    def results_in_range(fit):
        sizes = [t['size'] for j in fit for s in jobs[j]['stages'] for t in tasks.get(s, [])]
        return any(a.min_result_bytes <= b <= a.max_result_bytes for b in sizes)

    fit = next(f for f in reversed(fits) if results_in_range(f))
    rounds, before, prev_end = [], [], None
    for j in fit:
        d = jobs[j]
        ts = [t for s in d['stages'] for t in tasks.get(s, [])]
        gap = d['start'] - prev_end if prev_end is not None else 0
        prev_end = d['end']
        if ts and max(t['size'] for t in ts) > 10_000:
            worker = [t for t in ts if t['size'] > 10_000]
            rounds.append({'job': d['end'] - d['start'], 'gap_before': gap,
                           'task_wall': max(t['wall'] for t in worker), 'task_run': max(t['run'] for t in worker),
                           'result_serialization': max(t['ser'] for t in worker),
                           'result_bytes': max(t['size'] for t in worker)})
        elif not rounds:
            before.append({'job': d['end'] - d['start'], 'gap_before': gap, 'tasks': len(ts)})
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    med['task_rest'] = med['task_wall'] - med['task_run'] - med['result_serialization']
    span = jobs[fit[-1]]['end'] - jobs[fit[0]]['start']
    compare = json.load(open(a.compare))
    out = {'label': a.label, 'cpu': compare['cpu'], 'compare_file': a.compare.split('/')[-1], 'source': 'Spark event log of the last timed fit, summarised by '
           'docs/bench/profile/spark_rounds.py (milliseconds)',
           'fit_ms': span, 'jobs_before_rounds': before, 'rounds': len(rounds),
           'round_medians_ms': {k: round(v, 1) for k, v in med.items()},
           'rounds_ms': sum(r['job'] + r['gap_before'] for r in rounds),
           'rounds_task_run_ms': sum(r['task_run'] for r in rounds)}
    if a.min_result_bytes > 0 or a.max_result_bytes != float('inf'):
        out['fit_selected_by_result_bytes'] = [a.min_result_bytes, a.max_result_bytes]
    print(json.dumps(out, indent=2))


if __name__ == '__main__':
    main()
