package org.relume.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.relume.bench.StepTimer;
import org.relume.bench.Workload;

/**
 * One full Adam training step (forward, loss, backward, update) of each `relume bench` workload,
 * the same closure the benchmark command times.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", StepTimer.JIT_TRAP_LIMIT})
public class TrainingStepBenchmark {

    @Param({"thin", "tiny", "moons-jumpstart", "medium", "thin-cnn", "wide-cnn"})
    public String workload;

    Runnable step;

    @Setup
    public void setup() {
        step = StepTimer.step(Workload.byName(workload).shape(), 1);
    }

    @Benchmark
    public void step() {
        step.run();
    }
}
