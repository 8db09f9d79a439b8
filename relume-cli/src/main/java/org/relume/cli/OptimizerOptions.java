package org.relume.cli;

import java.util.Locale;
import org.relume.nn.Defaults;
import org.relume.optim.Adam;
import org.relume.optim.LearningRateSchedule;
import org.relume.optim.Optimizer;
import org.relume.optim.Sgd;
import org.relume.train.TrainingRecipe;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The optimizer options of {@code relume train} (Adam or SGD with momentum, weight decay and a
 * learning-rate schedule) and the named recipes that fill whichever of them the user did not give
 * (the DenseNet paper's training strategy that Li et al. train HB-Net and AGD-Net with).
 */
final class OptimizerOptions {
    @Option(names = "--recipe", paramLabel = "NAME",
            description = "Named training settings: resnet-cifar = SGD, Nesterov momentum 0.9, weight decay 1e-4, lr 0.1"
                    + " divided by 10 at 50%% and 75%% of the epochs, batch 64 (Li et al.'s). Flags given explicitly win.")
    String recipe;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "sgd|adam", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "" + Defaults.LEARNING_RATE, paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "MU", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "Use Nesterov momentum with SGD.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant, step:EVERY:GAMMA, cosine (to 0 over the run), cosine:EPOCHS,"
                    + " or a linear warm-up warmup:EPOCHS, alone or before another, e.g. warmup:5+cosine (default: ${DEFAULT-VALUE}).")
    String schedule;

    /** One line for a learning rate that cannot train. */
    void validate() {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
    }

    /**
     * Fills the optimizer and schedule settings the user did not give from --recipe, and returns
     * the schedule to train with.
     */
    LearningRateSchedule applyRecipe(ParseResult parsed, int epochs) {
        if (recipe == null) {
            return LearningRateSchedule.parse(schedule, epochs);
        }
        TrainingRecipe r = TrainingRecipe.byId(recipe);
        if (!parsed.hasMatchedOption("--optimizer")) {
            optimizer = "sgd";
        }
        if (!parsed.hasMatchedOption("--lr")) {
            lr = r.lr();
        }
        if (!parsed.hasMatchedOption("--momentum")) {
            momentum = r.momentum();
        }
        if (!parsed.hasMatchedOption("--nesterov")) {
            nesterov = r.nesterov() && momentum > 0;
        }
        if (!parsed.hasMatchedOption("--weight-decay")) {
            weightDecay = r.weightDecay();
        }
        return parsed.hasMatchedOption("--schedule") ? LearningRateSchedule.parse(schedule, epochs) : r.schedule(epochs);
    }

    /** The recipe's batch size where --recipe was given and --batch-size was not, else {@code given}. */
    int batchSize(ParseResult parsed, int given) {
        return recipe != null && !parsed.hasMatchedOption("--batch-size") ? TrainingRecipe.byId(recipe).batchSize() : given;
    }

    Optimizer build() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(lr, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, weightDecay);
            case "sgd" -> new Sgd(lr, momentum, nesterov, weightDecay);
            default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer + "'");
        };
    }
}
