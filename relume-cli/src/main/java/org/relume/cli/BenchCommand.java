package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.relume.bench.BenchSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relume bench}: Relume against PyTorch on this machine, in one run, as ratios. */
@Command(name = "bench",
        header = "Benchmark Relume against PyTorch on this machine: ms per training step, ratios, GEMM GFLOP/s.",
        description = {
            "Workloads (one Adam step each, float32): thin (2 -> 60x3 -> 1, batch 85), tiny (2 -> 50x25 -> 1),",
            "moons-jumpstart (2 -> 30x3 -> 1 with the jumpstart penalty), medium (784 -> 4x512 -> 10, batch 256).",
            "The PyTorch side (bench/pytorch_bench.py, packaged in the jar) runs in its own Python process; it is",
            "skipped, with the reason, when no Python can import torch (install: bench/install-pytorch.sh).",
            "Writes DIR/results.csv (workload, relume_ms, pytorch_ms, ratio, ...), DIR/report.md and DIR/bench.json.",
            "--quick finishes in a minute or two; the full profile times more steps.",
            ""},
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer timed steps.")
    boolean quick;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        BenchSuite.run(quick, out, o);
        o.printf("wrote    %s (results.csv, report.md, bench.json)%n", out);
        o.flush();
        return Relume.OK;
    }
}
