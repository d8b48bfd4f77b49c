import subprocess, re, sys, collections
from dnnl_sum import step_ends  # a step's end in a DNNL_VERBOSE log
# Combined breakdown: oneDNN primitive times from the DNNL_VERBOSE run, the rest from perf samples of the main thread.
def dnnl(path, skip=10):
    lines=[l.strip().split(',') for l in open(path) if l.startswith('dnnl_verbose,exec')]
    ends=step_ends(lines)
    lines=lines[ends[skip-1]+1:ends[-1]+1]; steps=len(ends)-skip
    c=collections.Counter()
    for f in lines:
        kind,prop,t=f[3],f[5],float(f[10])
        if kind=='reorder': c['reorders (oneDNN, NCHW <-> blocked)']+=t
        elif kind=='convolution':
            c[{'forward_inference':'conv fwd (oneDNN; twice per step on DL4J layer)','forward_training':'conv fwd (oneDNN; twice per step on DL4J layer)',
               'backward_data':'conv bwd data (oneDNN)','backward_weights':'conv bwd weights (oneDNN)'}[prop]]+=t
            if prop=='backward_data' and '_ic1oc' in f[9]: c['  of which conv1 input gradient (unneeded)']+=t
        else:
            c['pooling fwd (oneDNN simple_nchw)' if prop.startswith('forward') else 'pooling bwd (oneDNN simple_nchw)']+=t
    return {k:v/steps for k,v in c.items()}, steps
def perf(path, step, last):
    sys.argv=['x',path,str(step),str(last)]
    out=subprocess.run(['python3','docs/bench/profile/perf_cats.py',path,str(step),str(last)],capture_output=True,text=True).stdout
    d={}
    for l in out.split('\n'):
        m=re.match(r'\| (.*?) \| ([\d.]+) % \| ([\d.]+) \|',l)
        if m: d[m.group(1)]=(float(m.group(2)),float(m.group(3)))
    n=int(re.search(r'samples in last [\d.]+s: (\d+)',out).group(1))
    return d,n
rows=['oneDNN total (perf)','conv fwd (oneDNN; twice per step on DL4J layer)','conv bwd data (oneDNN)','  of which conv1 input gradient (unneeded)','conv bwd weights (oneDNN)',
      'reorders (oneDNN, NCHW <-> blocked)','pooling fwd (oneDNN simple_nchw)','pooling bwd (oneDNN simple_nchw)',
      'pooling fwd (libnd4j)','pooling bwd (libnd4j)','pooling fwd (libnd4j or Java)','pooling bwd (libnd4j or Java)',
      'conv1 weight gradient (im2col or Java)','JVM copies (buffer <-> Java array, arraycopy)','dense gemm (OpenBLAS)',
      'ReLU fwd/bwd (libnd4j)','Adam updater (libnd4j)',
      'other libnd4j element-wise/reductions','memset/page faults (allocation)','JVM: Java code, interpreter, JIT, GC']
# Two variants profiled by profile.sh, before and after: by default issue 17's first lever (max pooling), or as
# arguments, e.g. `combine.py dl4j-conv default` for the convolution stand-in.
BEFORE, AFTER = (sys.argv[1], sys.argv[2]) if len(sys.argv) > 2 else ('onednn-pooling', 'default')
TITLES = {'onednn-pooling': 'max pooling on oneDNN', 'dl4j-conv': "DL4J's convolution layer",
          'input-grad': "conv1's input gradient on the helper",
          'im2col-weight-gradient+libnd4j-pooling': "im2col and libnd4j's pooling",
          'default': {'onednn-pooling': 'max pooling on libnd4j', 'dl4j-conv': 'OneDnnConvolutionLayer',
                      'input-grad': "conv1's weight gradient alone",
                      'im2col-weight-gradient+libnd4j-pooling': 'both in Java'}[BEFORE]}
for net in ['student','teacher']:
    cols={}
    for v in [BEFORE, AFTER]:
        po=open(f'/tmp/perf/prof-{net}-{v}.perf.out').read()
        step=float(re.search(r'\(([\d.]+) ms/step\)',po).group(1))
        runs=re.search(r'runs=(\[[^\]]*\])',po).group(1)
        dn,steps=dnnl(f'/tmp/perf/prof-{net}-{v}.verbose')
        pf,n=perf(f'/tmp/perf/prof-{net}-{v}.data',step,8)
        # oneDNN's total in the perf run (its JIT code, named convolution/reorder/pooling symbols), split by DNNL_VERBOSE's proportions
        onednn_keys=['oneDNN JIT code (convolutions, reorders)','conv fwd (oneDNN)','conv bwd data (oneDNN)','conv bwd weights (oneDNN)','reorders (oneDNN)']
        if v=='onednn-pooling': onednn_keys+=['pooling fwd','pooling bwd']
        total=sum(pf.get(k,(0,0))[1] for k in onednn_keys)
        dtot=sum(x for k,x in dn.items() if not k.startswith('  '))
        col={k:total*x/dtot for k,x in dn.items()}
        col['oneDNN total (perf)']=total
        java = BEFORE == 'im2col-weight-gradient+libnd4j-pooling'  # a session whose pooling may run in Java
        pm={'pooling fwd':'pooling fwd (libnd4j or Java)' if java else 'pooling fwd (libnd4j)',
            'pooling bwd':'pooling bwd (libnd4j or Java)' if java else 'pooling bwd (libnd4j)',
            'JVM (Java code, JIT, GC)':'JVM: Java code, interpreter, JIT, GC'}
        for k in ['pooling fwd','pooling bwd','conv1 weight gradient (im2col or Java)','JVM copies (buffer <-> Java array, arraycopy)','dense gemm (OpenBLAS)','ReLU fwd/bwd (libnd4j)','Adam updater (libnd4j)','other libnd4j element-wise/reductions','memset/page faults (allocation)','JVM (Java code, JIT, GC)']:
            if k.startswith('pooling') and v=='onednn-pooling': continue
            col[pm.get(k,k)]=pf.get(k,(0,0))[1]
        cols[v]=(col,step,runs,steps,n)
    print(f"\n### {net}: ms per minibatch of 64, 1 thread\n")
    print(f"| category | before: {TITLES[BEFORE]} | after: {TITLES[AFTER]} |\n|---|---|---|")
    for r in rows:
        a=cols[BEFORE][0].get(r); b=cols[AFTER][0].get(r)
        if a is None and b is None: continue
        f=lambda x,s: '–' if x is None else f"{x:.2f} ({100*x/s:.0f} %)"
        print(f"| {r} | {f(a,cols[BEFORE][1])} | {f(b,cols[AFTER][1])} |")
    print(f"| **step (perf run, median of 3 rounds)** | **{cols[BEFORE][1]:.2f}** | **{cols[AFTER][1]:.2f}** |")
    print(f"\nrounds ex/s: before {cols[BEFORE][2]}, after {cols[AFTER][2]}; DNNL_VERBOSE steps averaged: {cols[BEFORE][3]} / {cols[AFTER][3]}; perf main-thread samples (last 8 s): {cols[BEFORE][4]} / {cols[AFTER][4]}")
