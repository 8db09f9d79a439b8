package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.tensor.PoolingOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Global average and/or max pooling of each channel's feature map, the head of the jumpstart
 * paper's CIFAR networks (Riera et al., Experiment C: global max and average pooling concatenated,
 * then a dense layer). It has no parameters and no preactivation: it is not a layer of units, so
 * jumpstart and the unit/point states skip it.
 */
public final class GlobalPool implements Layer {
    /** Which statistics of each channel the layer keeps. */
    public enum Mode {
        AVG("gap"), MAX("gmp"), AVG_MAX("gap+gmp");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Mode byId(String id) {
            for (Mode m : values()) {
                if (m.id.equals(id.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("global pooling must be gap, gmp or gap+gmp, got '" + id + "'");
        }
    }

    private final Mode mode;
    private final int channels;
    private final int positions;

    public GlobalPool(Mode mode, int channels, int positions) {
        if (channels <= 0 || positions <= 0) {
            throw new IllegalArgumentException("global pooling needs positive channels and positions, got " + channels
                    + " x " + positions);
        }
        this.mode = mode;
        this.channels = channels;
        this.positions = positions;
    }

    public Mode mode() {
        return mode;
    }

    @Override public String type() { return "global_pool"; }

    @Override public int inputSize() { return channels * positions; }

    @Override public int outputSize() { return mode == Mode.AVG_MAX ? 2 * channels : channels; }

    @Override public List<Var> parameters() { return List.of(); }

    @Override public boolean hasPreactivation() { return false; }

    @Override
    public Var preactivate(Tape tape, Var input) {
        return PoolingOps.global(tape, input, channels, mode != Mode.MAX, mode != Mode.AVG);
    }

    @Override
    public Var activate(Tape tape, Var pooled) {
        return pooled;
    }

    @Override public PointwiseFunction activation() { return PointwiseFunctions.IDENTITY; }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type());
        c.put("mode", mode.id());
        c.put("channels", channels);
        c.put("positions", positions);
        c.put("in", inputSize());
        c.put("out", outputSize());
        return c;
    }

    @Override
    public GlobalPool copy() {
        return this;
    }

    @Override
    public String toString() {
        return "GlobalPool(" + mode.id() + ", " + channels + " channels x " + positions + " positions)";
    }
}
