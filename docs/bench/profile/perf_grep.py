# usage: perf_grep.py perf.data LAST_SECONDS REGEX: the share of the probe JVM main thread's samples (its last
# LAST_SECONDS) with a frame matching REGEX, then the first non-kernel frame of those samples. The samples are read
# as perf_cats.py reads them (its code up to the main thread's selection, run here).
import collections
import os
import re
import sys

pattern = sys.argv[3]
sys.argv = [sys.argv[0], sys.argv[1], '0', sys.argv[2]]
source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'perf_cats.py')).read()
exec(source[:source.index("rules=[")])
hit = [s for s in ms if any(re.search(pattern, f) for f in s['frames'])]
print(f"{len(hit)}/{len(ms)} = {100 * len(hit) / len(ms):.1f}%")
first = collections.Counter()
for s in hit:
    for f in s['frames']:
        if 'kallsyms' not in f:
            first[re.sub(r'\+0x[0-9a-f]+', '', f)[:150]] += 1
            break
for frame, n in first.most_common(12):
    print(n, frame)
