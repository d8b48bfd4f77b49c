package io.readout.jobs.bench;

import io.readout.common.MachineCpu;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Reading oneDNN's verbose log: the ISA, version and runtime lines and the kernels of the exec lines; no probe JVM. */
class OneDnnDispatchTest {
    /** libnd4j 1.0.0-M2.1's oneDNN v2.3.0 on this workplace's AVX2 EPYC, the student's first minibatch (trimmed). */
    private static final List<String> V2_LOG = """
            log4j: a line of the JVM's own
            dnnl_verbose,info,oneDNN v2.3.0 (commit aec51f92ba9b23c5ed4b6753995f847615f5968a)
            dnnl_verbose,info,cpu,runtime:OpenMP
            dnnl_verbose,info,cpu,isa:Intel AVX2
            dnnl_verbose,info,gpu,runtime:none
            dnnl_verbose,info,prim_template:operation,engine,primitive,implementation,prop_kind,memory_descriptors,attributes,auxiliary,problem_desc,exec_time
            dnnl_verbose,exec,cpu,reorder,jit:blk,undef,src_f32::blocked:abcd:f0 dst_f32::blocked:Acdb8a:f0,,,8x1x3x3,9.75195
            dnnl_verbose,exec,cpu,convolution,jit:avx2,forward_inference,src_f32::blocked:abcd:f0 wei_f32::blocked:Acdb8a:f0,,alg:convolution_direct,mb64_ic1oc8_ih56oh56kh3sh1dh0ph1_iw28ow28kw3sw1dw0pw1,3.5
            dnnl_verbose,exec,cpu,pooling_v2,simple_nchw:any,forward_training,src_f32::blocked:abcd:f0 dst_f32::blocked:abcd:f0,,alg:pooling_max,mb64ic8_ih56oh28kh2sh2dh0ph0_iw28ow14kw2sw2dw0pw0,8.39282
            dnnl_verbose,exec,cpu,convolution,jit:avx2,forward_inference,src_f32::blocked:abcd:f0,,alg:convolution_direct,mb64_ic8oc16,2.1
            dnnl_verbose,exec,cpu,convolution,jit:avx2,backward_weights,src_f32::blocked:aBcd8b:f0,,alg:convolution_direct,mb64_ic8oc16,4.0
            done
            """.lines().toList();

    @Test
    void aV2LogGivesTheIsaTheVersionTheRuntimeAndTheKernelsButReorders() {
        OneDnnDispatch d = OneDnnDispatch.parse(V2_LOG).orElseThrow();
        assertEquals("Intel AVX2", d.isa());
        assertEquals(OneDnnDispatch.PROBED, d.source());
        assertEquals("oneDNN v2.3.0 (commit aec51f92ba9b23c5ed4b6753995f847615f5968a)", d.version());
        assertEquals("OpenMP", d.runtime());
        assertEquals(List.of("convolution jit:avx2 forward_inference", "pooling_v2 simple_nchw:any forward_training",
                "convolution jit:avx2 backward_weights"), d.implementations());
    }

    @Test
    void aV3LogWithTheIsaOnTheRuntimeLineAndCommasInTheIsaName() {
        List<String> v3 = List.of(
                "onednn_verbose,info,oneDNN v3.1.0 (commit 1234)",
                "onednn_verbose,info,cpu,runtime:OpenMP,nthr:2",
                "onednn_verbose,info,cpu,isa:Intel AVX-512 with AVX512BW, AVX512VL, and AVX512DQ extensions",
                "onednn_verbose,primitive,exec,cpu,convolution,brg:avx512_core,forward_training,src_f32::blocked:abcd::f0,,,mb64,1.5",
                "onednn_verbose,primitive,exec,cpu,reorder,jit:uni,undef,src_f32::blocked:abcd::f0,,,8x1x3x3,0.1");
        OneDnnDispatch d = OneDnnDispatch.parse(v3).orElseThrow();
        assertEquals("Intel AVX-512 with AVX512BW, AVX512VL, and AVX512DQ extensions", d.isa());
        assertEquals("OpenMP", d.runtime());
        assertEquals("oneDNN v3.1.0 (commit 1234)", d.version());
        assertEquals(List.of("convolution brg:avx512_core forward_training"), d.implementations());

        OneDnnDispatch oneLine = OneDnnDispatch.parse(List.of("onednn_verbose,info,cpu,runtime:OpenMP,isa:Intel AVX2"))
                .orElseThrow();
        assertEquals("Intel AVX2", oneLine.isa());
        assertEquals("OpenMP", oneLine.runtime());
    }

    @Test
    void aLogWithoutAnIsaLineGivesNothingAndTheCpuFlagsAreInferredInstead() {
        assertEquals(Optional.empty(), OneDnnDispatch.parse(List.of("dnnl_verbose,info,cpu,runtime:OpenMP", "done")));
        assertEquals(Optional.empty(), OneDnnDispatch.parse(List.of()));

        MachineCpu xeon = new MachineCpu("Xeon", 4, List.of("avx2", "avx512f", "avx512_vnni"), MachineCpu.PROC_CPUINFO);
        OneDnnDispatch inferred = OneDnnDispatch.inferred(xeon, "the probe failed (exit 1: boom)");
        assertEquals("avx512_vnni", inferred.isa());
        assertEquals("inferred from cpu.isa: the probe failed (exit 1: boom)", inferred.source());
        assertNull(inferred.version());
        assertEquals(List.of(), inferred.implementations());
        assertEquals("not known (no ISA flags)", OneDnnDispatch.inferred(MachineCpu.fromArch("aarch64", 2), "x").isa());
        assertEquals("avx512_vnni, capped at AVX2 (DNNL_MAX_CPU_ISA)",
                OneDnnDispatch.inferred(xeon.withOnednnMaxIsa("AVX2"), "x").isa());
    }
}
