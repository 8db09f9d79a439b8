package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.tensor.ConvGeometry;
import org.relume.tensor.PoolingOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Local max or average pooling of each channel over k x k windows at a stride, without padding:
 * the downsampling between the stages of classic CNNs, and the 2 x 2 average of DenseNet's
 * transition layers (Huang et al. 2017, the baseline of Li et al.'s AGD-Net). No parameters and no
 * preactivation, like {@link GlobalPool}.
 */
public final class Pool2d implements Layer {
    /** Which statistic of each window the layer keeps. */
    public enum Mode {
        MAX("max"), AVG("avg");

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
            throw new IllegalArgumentException("pooling must be max or avg, got '" + id + "'");
        }
    }

    private final Mode mode;
    private final ConvGeometry geometry;

    /** {@code geometry}: channels in = channels out, the window as kernel, its stride, padding 0. */
    public Pool2d(Mode mode, ConvGeometry geometry) {
        if (geometry.outChannels() != geometry.inChannels() || geometry.padding() != 0) {
            throw new IllegalArgumentException("pooling keeps the channels and has no padding, got " + geometry);
        }
        this.mode = mode;
        this.geometry = geometry;
    }

    /** k x k windows at stride k over C x H x W images. */
    public static Pool2d of(Mode mode, int channels, int height, int width, int kernel) {
        return new Pool2d(mode, new ConvGeometry(channels, height, width, channels, kernel, kernel, 0));
    }

    public Mode mode() {
        return mode;
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    @Override public String type() { return "pool2d"; }

    @Override public int inputSize() { return geometry.inSize(); }

    @Override public int outputSize() { return geometry.outSize(); }

    @Override public List<Var> parameters() { return List.of(); }

    @Override public boolean hasPreactivation() { return false; }

    @Override
    public Var preactivate(Tape tape, Var input) {
        return PoolingOps.pool2d(tape, input, geometry, mode == Mode.MAX);
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
        c.put("channels", geometry.inChannels());
        c.put("height", geometry.height());
        c.put("width", geometry.width());
        c.put("kernel", geometry.kernel());
        c.put("stride", geometry.stride());
        c.put("in", inputSize());
        c.put("out", outputSize());
        return c;
    }

    @Override
    public Pool2d copy() {
        return this;
    }

    @Override
    public String toString() {
        return "Pool2d(" + mode.id() + " " + geometry.kernel() + "x" + geometry.kernel() + " stride " + geometry.stride()
                + ", " + geometry.inChannels() + "x" + geometry.height() + "x" + geometry.width() + " -> "
                + geometry.outChannels() + "x" + geometry.outHeight() + "x" + geometry.outWidth() + ")";
    }
}
