import sys, collections, re
# Sum oneDNN exec times (ms) per training step by category. A step ends with the backward_weights primitive of the
# first convolution that runs one on oneDNN (the last of a step's backward pass); skips warm-up steps.
def step_ends(lines):
    bw=[f[9] for f in lines if f[3]=='convolution' and f[5]=='backward_weights']
    last=max(set(bw), key=bw.index)  # the backward_weights desc that first appears last: the step's final one
    return [i for i,f in enumerate(lines) if f[3]=='convolution' and f[5]=='backward_weights' and f[9]==last]

if __name__ == '__main__':
    lines=[l.strip().split(',') for l in open(sys.argv[1]) if l.startswith('dnnl_verbose,exec')]
    skip=int(sys.argv[2]) if len(sys.argv)>2 else 10
    ends=step_ends(lines)
    lines=lines[ends[skip-1]+1:ends[-1]+1]
    steps=len(ends)-skip
    agg=collections.Counter()
    for f in lines:
        kind,impl,prop,desc,t=f[3],f[4],f[5],f[9],float(f[10])
        if kind=='reorder':
            key='reorders ('+('weights' if re.match(r'^\d+x\d+x3x3$',desc) else 'activations')+')'
        elif kind=='convolution':
            layer='conv1' if '_ic1oc' in desc else 'conv2'
            key=f'conv {prop} {layer} [{impl}]'
        else:
            layer='pool1' if '_ih56' in desc or 'ih56' in desc else 'pool2'
            key=f'{kind} {prop} {layer} [{impl}]'
        agg[key]+=t
    tot=sum(agg.values())
    print(f"# {sys.argv[1]}: {steps} steps after {skip} warm-up; oneDNN total {tot/steps:.2f} ms/step")
    for k,v in sorted(agg.items(), key=lambda kv:-kv[1]):
        print(f"{k:60s} {v/steps:8.3f} ms/step")
