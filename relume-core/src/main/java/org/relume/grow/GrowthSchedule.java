package org.relume.grow;

import java.util.Locale;

/**
 * When and where to grow (REFERENCES.md §4.1): every {@code every} optimizer steps from step
 * {@code start}, {@code times} times, {@code units} units each, into a fixed hidden layer, the hidden
 * layers in turn, or the layer whose G has the largest top singular value; or, with a plateau
 * trigger, whenever the training loss improved by less than {@code plateauFraction} (relative)
 * over the last {@code plateauWindow} epochs. Growth happens between epochs, at the first epoch
 * end at or after the scheduled step.
 */
public record GrowthSchedule(int start, int every, int times, int units, Where where, int fixedLayer,
                             int plateauWindow, double plateauFraction) {

    public enum Where {
        FIXED, ROUND_ROBIN, LARGEST_SINGULAR_VALUE;

        public static Where byName(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "fixed" -> FIXED;
                case "round-robin", "round_robin" -> ROUND_ROBIN;
                case "largest", "largest-singular-value" -> LARGEST_SINGULAR_VALUE;
                default -> throw new IllegalArgumentException("unknown layer choice '" + name
                        + "'; use a hidden layer's index, round-robin or largest");
            };
        }
    }

    public GrowthSchedule {
        if (start < 0 || every <= 0 || times < 0 || units <= 0 || fixedLayer < 0 || plateauWindow < 0
                || !(plateauFraction >= 0)) {
            throw new IllegalArgumentException("bad growth schedule: start " + start + ", every " + every + ", times "
                    + times + ", units " + units + ", layer " + fixedLayer + ", plateau window " + plateauWindow
                    + ", fraction " + plateauFraction);
        }
    }

    /**
     * The schedule with its layer given as the commands take it: a hidden layer's index, round-robin
     * or largest.
     */
    public static GrowthSchedule of(int start, int every, int times, int units, String layer, int plateauWindow,
                                    double plateauFraction) {
        String l = layer.trim();
        boolean index = l.matches("\\d{1,9}");
        return new GrowthSchedule(start, every, times, units, index ? Where.FIXED : Where.byName(l),
                index ? Integer.parseInt(l) : 0, plateauWindow, plateauFraction);
    }

    /** Every {@code every} steps from {@code start}, into a fixed layer, one unit at a time. */
    public static GrowthSchedule every(int start, int every, int times, int layer) {
        return new GrowthSchedule(start, every, times, 1, Where.FIXED, layer, 0, 0);
    }

    /** True if the schedule (not the plateau trigger) calls for growth number {@code done + 1} at {@code step}. */
    public boolean due(long step, int done) {
        return plateauWindow == 0 && done < times && step >= start + (long) done * every;
    }

    public boolean usesPlateau() {
        return plateauWindow > 0;
    }

    public String describe() {
        String when = plateauWindow > 0
                ? String.format(Locale.ROOT, "when the loss improves by less than %.3g over %d epochs (at most %d times, not before step %d)",
                        plateauFraction, plateauWindow, times, start)
                : String.format(Locale.ROOT, "every %d steps from step %d, %d times", every, start, times);
        String at = switch (where) {
            case FIXED -> "hidden layer " + fixedLayer;
            case ROUND_ROBIN -> "the hidden layers in turn";
            case LARGEST_SINGULAR_VALUE -> "the hidden layer with the largest GradMax singular value";
        };
        return units + " unit(s) " + when + ", into " + at;
    }
}
