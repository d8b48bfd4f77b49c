#!/bin/bash
# Runs TrainingStepProbe's main in a plain JVM (no surefire fork, so DNNL_VERBOSE and OpenMP variables given to this
# script reach the JVM as set), from the repository root, after
#   mvn -o -q -Pprobes -pl probes -am test-compile
#   mvn -o -q dependency:build-classpath -pl common -Dmdep.outputFile=/tmp/readout-common-cp.txt
# Waits while /tmp/quiet exists (the shared machine's timing protocol). Arguments: -D properties of the probe.
# PROBE=WorkerProbe runs that probe instead of TrainingStepProbe.
while [ -e /tmp/quiet ]; do sleep 30; done
OPENS=$(grep -o '<readout.jvm.opens>[^<]*' pom.xml | sed 's/<readout.jvm.opens>//')
exec java $OPENS -Xmx6g -Dorg.bytedeco.javacpp.maxbytes=4G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G \
  -cp probes/target/test-classes:common/target/classes:$(cat /tmp/readout-common-cp.txt) "$@" io.readout.common.nets.${PROBE:-TrainingStepProbe}
