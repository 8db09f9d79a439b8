package org.relume.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;

/**
 * What a benchmark must say about where it ran: CPU model, cores, vector flags and the vector width
 * the engine's kernels use, JVM, system BLAS.
 */
final class Machine {
    private Machine() {}

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        String model = "unknown CPU";
        List<String> flags = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                }
                if (line.startsWith("flags") && flags.isEmpty()) {
                    for (String f : line.substring(line.indexOf(':') + 1).strip().split(" ")) {
                        if (f.equals("fma") || f.equals("avx2") || f.equals("avx512f") || f.equals("avx512vl") || f.equals("avx")) {
                            flags.add(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // not Linux: leave the defaults
        }
        int cores = Runtime.getRuntime().availableProcessors();
        m.put("cpu", model);
        m.put("cores", cores);
        m.put("flags", flags);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        String blas = "unknown";
        try {
            blas = Files.readSymbolicLink(Path.of("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // no Debian alternatives
        }
        m.put("blas", blas);
        List<String> limits = isaLimits();
        m.put("isa_limits", limits);
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        m.put("vector_bits", bits);
        m.put("float_lanes", FloatVector.SPECIES_PREFERRED.length());
        m.put("summary", model + ", " + cores + " cores, flags " + String.join(" ", flags) + ", vector width " + bits
                + " bits (" + FloatVector.SPECIES_PREFERRED.length() + " float lanes), " + m.get("os")
                + (limits.isEmpty() ? "" : ", capped: " + String.join("; ", limits)));
        return m;
    }

    /** Environment variables with which the peers' libraries cap their instruction set. */
    static final List<String> PEER_ISA_VARIABLES = List.of("MKL_ENABLE_INSTRUCTIONS", "ONEDNN_MAX_CPU_ISA", "XLA_FLAGS");

    /** The reports' line naming the caps of {@link #isaLimits()}, or nothing for a plain run. */
    @SuppressWarnings("unchecked") // describe() puts the limits as a List<String>
    static String isaLimitsLine(Map<String, Object> machine) {
        List<String> limits = (List<String>) machine.getOrDefault("isa_limits", List.of());
        return limits.isEmpty() ? "" : "- **Instruction set capped below the CPU's** (standing in for a smaller CPU): "
                + String.join("; ", limits) + "\n";
    }

    /**
     * Settings that hold this run below the CPU's instruction set: the JVM's -XX:UseAVX (also from
     * JAVA_TOOL_OPTIONS, which the workers' JVMs read too) and the peers' variables. Empty when none.
     * With them an AVX-512 machine stands in for an AVX2 one, and the report says so.
     */
    static List<String> isaLimits() {
        List<String> limits = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:UseAVX=")) {
                limits.add("JVM " + arg);
            }
        }
        for (String v : PEER_ISA_VARIABLES) {
            String value = System.getenv(v);
            if (value != null && !value.isBlank()) {
                limits.add(v + "=" + value);
            }
        }
        return limits;
    }
}
