package org.relume.nn;

/**
 * The defaults the library and the command line share, each written once (Tribuo's habit: an
 * option's default lives in one place and is described there). {@link Mlp}'s builder and
 * {@code TrainConfig} start from these, and {@code relume train} shows them in its help, so a
 * program that leaves a setting out trains as the command does. It sits in {@code nn}, the lowest
 * package both the network builders and the training loop see (imports flow train -> nn).
 *
 * <p>The values are those the command line has always had: Adam at learning rate 0.01 (the
 * jumpstart paper's setting), seed 1, Kaiming-uniform initial weights for ReLU networks, relu
 * hidden units and 1000 epochs. Reproductions set their papers' values explicitly and do not read
 * these.
 */
public final class Defaults {
    private Defaults() {}

    /** Adam's learning rate when none is given. */
    public static final double LEARNING_RATE = 0.01;
    /** The seed of the initial weights, and of the batch order. */
    public static final long SEED = 1;
    /** The initializer's name, as {@link Initializer#byName} reads it. */
    public static final String INITIALIZER = "kaiming_uniform";
    /** The hidden layers' activation, as {@link Activations#byName} reads it. */
    public static final String ACTIVATION = "relu";
    public static final int EPOCHS = 1000;

    public static Initializer initializer() {
        return Initializer.byName(INITIALIZER);
    }
}
