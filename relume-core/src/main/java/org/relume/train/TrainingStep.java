package org.relume.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.relume.data.Batch;
import org.relume.loss.Loss;
import org.relume.nn.Network;
import org.relume.nn.Preactivation;
import org.relume.optim.Optimizer;
import org.relume.tensor.ArithmeticOps;
import org.relume.tensor.Tape;
import org.relume.tensor.Var;

/**
 * One training step, the single definition that the trainer, the benchmarks and the allocation test
 * all run: reset the tape, forward (handing preactivations to the regularizers that want them),
 * task loss plus every penalty, then zero the gradients, backward, and the optimizer step (through
 * the parametrization, if any). The two halves are separate so the trainer can stop on a
 * non-finite loss before it touches the weights. A warm step allocates nothing.
 */
public final class TrainingStep {
    private final Loss loss;
    private final List<Regularizer> regularizers;
    private final Optimizer optimizer;
    private final Parametrization parametrization;
    private final Tape tape = new Tape();
    private final List<Preactivation> preactivations = new ArrayList<>();
    private final Consumer<Preactivation> sink;
    private final float[] penalties;
    private Network network;
    private List<Var> parameters;
    private List<Var> stepped;
    private Var input;
    private Var total;
    private float taskLoss;

    public TrainingStep(Network network, Loss loss, List<Regularizer> regularizers, Optimizer optimizer,
                        Parametrization parametrization) {
        this.loss = loss;
        this.regularizers = List.copyOf(regularizers);
        this.optimizer = optimizer;
        this.parametrization = parametrization;
        this.sink = this.regularizers.stream().anyMatch(Regularizer::needsPreactivations) ? preactivations::add : null;
        this.penalties = new float[this.regularizers.size()];
        setNetwork(network);
    }

    /** Trains {@code network} from now on (a listener replaced it, e.g. by growth). */
    public void setNetwork(Network network) {
        this.network = network;
        this.parameters = network.parameters();
        this.stepped = parametrization != null ? parametrization.parameters() : parameters;
    }

    public Network network() {
        return network;
    }

    /** The total loss (task loss plus penalties) of {@code batch}, recorded for {@link #update()}. */
    public float forward(Batch batch) {
        if (input == null || input.value() != batch.x()) {
            input = Var.constant(batch.x());
        }
        tape.reset();
        preactivations.clear();
        Var output = network.forward(tape, input, sink);
        Var task = loss.apply(tape, output, batch);
        taskLoss = task.value().item();
        total = task;
        for (int r = 0; r < regularizers.size(); r++) {
            Var p = regularizers.get(r).penalty(tape, preactivations, network);
            penalties[r] = p.value().item();
            total = ArithmeticOps.add(tape, total, p);
        }
        return total.value().item();
    }

    /** Back-propagates the loss of the last {@link #forward} and lets the optimizer step. */
    public void update() {
        for (Var p : parameters) {
            p.zeroGrad();
        }
        tape.backward(total);
        if (parametrization != null) {
            parametrization.pullBack(network);
            optimizer.step(stepped);
            parametrization.build(network);
        } else {
            optimizer.step(parameters);
        }
    }

    /** forward then update; returns the total loss. */
    public float run(Batch batch) {
        float value = forward(batch);
        update();
        return value;
    }

    /** The task loss of the last forward (without penalties). */
    public float taskLoss() {
        return taskLoss;
    }

    /** The value of regularizer {@code r}'s penalty in the last forward. */
    public float penalty(int r) {
        return penalties[r];
    }
}
