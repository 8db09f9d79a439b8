package org.relume.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.relume.bench.BenchSuite;
import org.relume.bench.Scaling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
                + " DIR/report.md and DIR/bench.json. Each workload is timed on Relume and then on every peer, back to"
                + " back; the full profile does so in 3 rounds and takes each side's median (about 10 minutes), --quick"
                + " in 1 round with fewer steps (a few minutes). --rounds N sets the rounds.",
            "",
            "--scaling times instead one training step of an MLP 2 -> depth x width -> 1 (batch 85, MSE) over width"
                + " (1 to 1024 at depth 10) and depth (1 to 150 at widths 3 and 25) for Relume and every peer, and writes"
                + " DIR/scaling.csv (sweep,shape,width,depth,relume_ms, each peer's ms, fastest_peer,ratio; ratio ="
                + " fastest peer / Relume), DIR/scaling.md (tables, where each side wins, the crossover width) and"
                + " DIR/scaling.png (the ratio, log-log). With --quick: fewer points and steps.",
            "",
            "Examples:",
            "  relume bench --quick --out /tmp/bench-quick",
            "  relume bench --scaling --quick --out /tmp/bench-scaling",
            ""},
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Fewer timed steps.")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Rounds of interleaved timing; each side's time is its median over the rounds (default: 3, quick 1).")
    Integer rounds;

    @Option(names = "--scaling", description = "Time the step over width and depth instead (scaling.csv, .md, .png).")
    boolean scaling;

    @Option(names = "--widths", split = ",", paramLabel = "W1,W2,...",
            description = "With --scaling: the widths of the width sweep (default 1,2,4,...,1024; quick 1,4,16,...,1024).")
    List<Integer> widths;

    @Option(names = "--depths", split = ",", paramLabel = "D1,D2,...",
            description = "With --scaling: the depths of the depth sweeps (default 1,2,5,10,20,50,100,150; quick 1,10,50,150).")
    List<Integer> depths;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (!scaling && (widths != null || depths != null)) {
            throw new ParameterException(spec.commandLine(), "--widths and --depths need --scaling");
        }
        if (rounds != null && (scaling || rounds < 1)) {
            throw new ParameterException(spec.commandLine(), scaling ? "--rounds does not apply to --scaling"
                    : "--rounds must be at least 1, got " + rounds);
        }
        for (List<Integer> sizes : Arrays.asList(widths, depths)) {
            if (sizes != null && sizes.stream().anyMatch(v -> v < 1)) {
                throw new ParameterException(spec.commandLine(), "--widths and --depths must be at least 1, got " + sizes);
            }
        }
        if (scaling) {
            Scaling.Profile p = quick ? Scaling.Profile.quick() : Scaling.Profile.full();
            Scaling.run(p.withPoints(widths, depths), quick, out, o);
            return Relume.OK;
        }
        BenchSuite.run(quick, rounds == null ? 0 : rounds, out, o);
        o.printf("wrote    %s (results.csv, report.md, bench.json)%n", out);
        o.flush();
        return Relume.OK;
    }
}
