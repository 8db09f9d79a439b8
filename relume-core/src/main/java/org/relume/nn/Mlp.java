package org.relume.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Builds multilayer perceptrons: input size, hidden widths, output size, activation, initializer
 * and seed (by default those of {@link Defaults}, as {@code relume train} uses: relu,
 * Kaiming uniform, seed 1). Hidden layers use the activation; the output layer is linear (its outputs are logits
 * or regression values; losses apply sigmoid/softmax themselves).
 *
 * <p>Each layer draws from its own generator split off a root {@code SplittableRandom(seed)}, so a
 * seed fixes every initial weight.
 */
public final class Mlp {
    private int inputs = -1;
    private int[] hidden = new int[0];
    private int outputs = -1;
    private PointwiseFunction activation = Activations.byName(Defaults.ACTIVATION);
    private PointwiseFunction outputActivation = PointwiseFunctions.IDENTITY;
    private Initializer init = Defaults.initializer();
    private Initializer outputInit;
    private boolean bias = true;
    private long seed = Defaults.SEED;

    private Mlp() {}

    public static Mlp builder() {
        return new Mlp();
    }

    /** An MLP of {@code depth} hidden layers of {@code width} units. */
    public static Network of(int inputs, int width, int depth, int outputs,
                             PointwiseFunction activation, Initializer init, long seed) {
        int[] widths = new int[depth];
        Arrays.fill(widths, width);
        return builder().inputs(inputs).hidden(widths).outputs(outputs).activation(activation).init(init).seed(seed).build();
    }

    public Mlp inputs(int n) {
        this.inputs = n;
        return this;
    }

    public Mlp hidden(int... widths) {
        this.hidden = widths.clone();
        return this;
    }

    public Mlp outputs(int n) {
        this.outputs = n;
        return this;
    }

    public Mlp activation(PointwiseFunction f) {
        this.activation = f;
        return this;
    }

    public Mlp outputActivation(PointwiseFunction f) {
        this.outputActivation = f;
        return this;
    }

    /** The initializer of every layer (and of the output layer unless {@link #outputInit} is set). */
    public Mlp init(Initializer i) {
        this.init = i;
        return this;
    }

    public Mlp outputInit(Initializer i) {
        this.outputInit = i;
        return this;
    }

    public Mlp bias(boolean withBias) {
        this.bias = withBias;
        return this;
    }

    public Mlp seed(long s) {
        this.seed = s;
        return this;
    }

    public Network build() {
        if (inputs <= 0) {
            throw new IllegalArgumentException("an MLP needs a positive input size, got " + inputs);
        }
        if (outputs <= 0) {
            throw new IllegalArgumentException("an MLP needs a positive output size, got " + outputs);
        }
        for (int w : hidden) {
            if (w <= 0) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + Arrays.toString(hidden));
            }
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        int prev = inputs;
        for (int w : hidden) {
            layers.add(Dense.create(prev, w, activation, bias, init, root.split()));
            prev = w;
        }
        Initializer last = outputInit != null ? outputInit : init;
        layers.add(Dense.create(prev, outputs, outputActivation, bias, last, root.split()));
        return new Network(layers);
    }
}
