package org.relume.train;

import org.relume.nn.Network;

/**
 * The outcome of a run: the trained network, the logged history, the final evaluation on the
 * training and validation sets, the last epoch's mean training loss, and the wall time.
 */
public record TrainResult(Network network, TrainingHistory history, Evaluation train, Evaluation validation,
                          double finalLoss, int epochs, long steps, double seconds) {}
