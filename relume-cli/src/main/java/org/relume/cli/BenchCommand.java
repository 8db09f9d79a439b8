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

/** {@code relume bench}: Relume against its peers (PyTorch, JAX) on this machine, in one run, as ratios. */
@Command(name = "bench",
        header = "Benchmark Relume against PyTorch and JAX on this machine: ms per training step, ratios, GEMM GFLOP/s.",
        description = {
            "Workloads (one Adam step each, float32): thin (2 -> 60x3 -> 1, batch 85), tiny (2 -> 50x25 -> 1),"
                + " moons-jumpstart (2 -> 30x3 -> 1 with the jumpstart penalty), medium (784 -> 4x512 -> 10, batch"
                + " 256), thin-cnn (1x28x28 -> 20 conv3x3 of 4 channels -> 10, batch 128) and wide-cnn (16 channels,"
                + " depth 8).",
            "",
            "Peers, each in its own Python process: PyTorch eager and JAX (whole step jitted) from bench/.venv"
                + " (install: bench/install-peers.sh; RELUME_BENCH_VENV points elsewhere) and Debian's PyTorch 1.13"
                + " from /usr/bin/python3 (bench/install-pytorch.sh). A missing peer is reported and skipped.",
            "",
            "Writes DIR/results.csv (workload,peer,peer_version,relume_ms,peer_ms,ratio; ratio = peer / Relume),"
                + " DIR/report.md and DIR/bench.json. --quick takes a few minutes; the full profile times more steps.",
            "",
            "Example:",
            "  relume bench --quick --out /tmp/bench-quick",
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
