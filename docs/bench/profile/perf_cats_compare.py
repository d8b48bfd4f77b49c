# usage: perf_cats_compare.py perf.data STEP_MS [ROUNDS]: perf_cats.py's categories over the main thread of a
# `readout bench compare` run while it trains its last ROUNDS (default 2) single-process rounds: the main thread's
# samples when no Spark task thread and no PyTorch child has a sample within 0.2 s, in runs of at least 500
# samples (gaps over 0.3 s split them).
import bisect
import os
import sys

rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
sys.argv = sys.argv[:3] + ['0']
SELECT = '''
others = sorted(s['t'] for s in samples if s['comm'].startswith(('python3', 'Executor task')))
def busy(t):
    i = bisect.bisect_left(others, t - 0.2)
    return i < len(others) and others[i] <= t + 0.2
runs = []
for s in sorted((s for s in samples if s['tid'] == main and not busy(s['t'])), key=lambda s: s['t']):
    if runs and s['t'] - runs[-1][-1]['t'] <= 0.3:
        runs[-1].append(s)
    else:
        runs.append([s])
ms = [s for r in [r for r in runs if len(r) > 500][-ROUNDS:] for s in r]
'''.replace('ROUNDS', str(rounds))
source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'perf_cats.py')).read()
start = source.index("ms=[s for s in samples if s['tid']==main]")
end = source.index("\n", source.index("ms=[s for s in ms if s['t']>=tend-last_s]"))
exec(source[:start] + SELECT + source[end:])
