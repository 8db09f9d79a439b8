package org.relume.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of reproductions, by name. */
public final class Reproductions {
    private Reproductions() {}

    private static final Map<String, Reproduction> ALL = new LinkedHashMap<>();

    static {
        register(new JumpstartMoonsReproduction());
        register(new JumpstartMnistReproduction());
        register(new JumpstartCifarReproduction());
        register(new CompositionalReproduction());
        register(new GradMaxStudentTeacherReproduction());
        register(new FoldingReproduction());
        register(new InverseStabilityReproduction());
        register(new OptStructuresReproduction());
        register(new HbNetAgdNetReproduction());
        register(new GradMaxCnnReproduction());
        register(new CombinationsReproduction());
    }

    private static void register(Reproduction r) {
        ALL.put(r.name(), r);
    }

    public static List<Reproduction> all() {
        return List.copyOf(ALL.values());
    }

    public static Reproduction byName(String name) {
        Reproduction r = ALL.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown reproduction '" + name + "'; available: "
                    + String.join(", ", ALL.keySet()));
        }
        return r;
    }
}
