#!/bin/bash
# profile.sh NET VARIANT BATCHES: a perf run and a DNNL_VERBOSE run of TrainingStepProbe (one variant), outputs
# in /tmp/perf/prof-NET-VARIANT.{data,perf.out,verbose,load}; then: python3 docs/bench/profile/combine.py
NET=$1; V=$2; B=$3
mkdir -p /tmp/perf
R=docs/bench/profile/run.sh
uptime > /tmp/perf/prof-$NET-$V.load
perf record -F 499 -g -o /tmp/perf/prof-$NET-$V.data -- $R -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit \
  -Dreadout.probe.nets=$NET -Dreadout.probe.repeats=3 -Dreadout.probe.batches=$B -Dreadout.probe.variants=$V > /tmp/perf/prof-$NET-$V.perf.out 2>&1
uptime >> /tmp/perf/prof-$NET-$V.load
DNNL_VERBOSE=1 $R -Dreadout.probe.nets=$NET -Dreadout.probe.repeats=1 -Dreadout.probe.batches=$((B/3)) \
  -Dreadout.probe.variants=$V > /tmp/perf/prof-$NET-$V.verbose 2>&1
uptime >> /tmp/perf/prof-$NET-$V.load
