# Categorises perf samples of the probe JVM main thread (last N seconds) by the first frame with a known symbol.
import sys, subprocess, re, collections
# usage: perf_cats.py perf.data step_ms last_seconds
data, step_ms, last_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
out = subprocess.run(['perf','script','-i',data,'-F','comm,tid,time,ip,sym,dso'], capture_output=True, text=True).stdout
samples=[]; cur=None
for line in out.split('\n'):
    if not line.strip():
        if cur: samples.append(cur); cur=None
        continue
    if not line.startswith((' ','\t')):
        m=re.match(r'\s*(\S.*?)\s+(\d+)\s+([\d.]+):', line)
        cur={'comm':m.group(1),'tid':int(m.group(2)),'t':float(m.group(3)),'frames':[]}
    else:
        parts=line.strip().split(None,1)
        cur['frames'].append(parts[1] if len(parts)>1 else '')
if cur: samples.append(cur)
tids=collections.Counter(s['tid'] for s in samples if s['comm']=='java')
main=tids.most_common(1)[0][0]
ms=[s for s in samples if s['tid']==main]
tend=max(s['t'] for s in ms)
ms=[s for s in ms if s['t']>=tend-last_s]
rules=[
 ('conv fwd (oneDNN)', r'convolution_fwd|conv.*fwd_t|jit_avx2_conv_fwd|gemm_convolution_fwd'),
 ('conv bwd data (oneDNN)', r'bwd_data'),
 ('conv bwd weights (oneDNN)', r'bwd_weights'),
 ('reorders (oneDNN)', r'reorder'),
 ('pooling fwd', r'pooling2d_<|pooling_fwd|nchw_pooling_fwd|ref_pooling_fwd|simple_nchw.*fwd|pooling_fwd|(Vector)?MaxPooling(2x2)?\.forward'),
 ('pooling bwd', r'pooling2dBP|pooling_bwd|nchw_pooling_bwd|MaxPooling2x2\.backward'),
 ('conv1 weight gradient (im2col or Java)', r'im2col_|ConvolutionWeightGradient'),
 ('JVM copies (buffer <-> Java array, arraycopy)', r'StubRoutines \(2\)|Unsafe_CopyMemory'),
 ('dense gemm (OpenBLAS)', r'libopenblas|sgemm'),
 ('ReLU fwd/bwd (libnd4j)', r'relu|RELU'),
 ('Adam updater (libnd4j)', r'adamUpdater'),
 ('other libnd4j element-wise/reductions', r'libnd4jcpu'),
 ('memset/page faults (allocation)', r'memset|memcpy|kallsyms|page'),
]
cats=collections.Counter()
for s in ms:
    label=None
    fr0=s['frames'][0] if s['frames'] else ''
    if fr0.startswith('[unknown]') and '.map' in fr0:
        cats['oneDNN JIT code (convolutions, reorders)']+=1; continue
    for fr in s['frames']:
        if fr.startswith('[unknown]') or fr.startswith('0') and '(' not in fr: continue
        for name,pat in rules:
            if re.search(pat, fr): label=name; break
        if label: break
        if 'libjvm' in fr or 'perf-' in fr or 'libjava' in fr: label='JVM (Java code, JIT, GC)'; break
    cats[label or 'JVM (Java code, JIT, GC)']+=1
n=len(ms)
print(f"main thread samples in last {last_s:.1f}s: {n}; step {step_ms:.2f} ms")
print("| category | share | ms per step |\n|---|---|---|")
for name,_ in [('oneDNN JIT code (convolutions, reorders)',None)]+rules+[('JVM (Java code, JIT, GC)',None)]:
    c=cats.get(name,0)
    print(f"| {name} | {100*c/n:.1f} % | {step_ms*c/n:.2f} |")
print(f"| total | 100 % | {step_ms:.2f} |")
