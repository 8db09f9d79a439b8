package org.relume.examples;

import org.relume.data.Dataset;
import org.relume.data.GrowthData;
import org.relume.grow.Growth;
import org.relume.grow.GrowthListener;
import org.relume.grow.GrowthMethod;
import org.relume.grow.GrowthSchedule;
import org.relume.loss.Loss;
import org.relume.nn.Activations;
import org.relume.nn.Initializer;
import org.relume.nn.Mlp;
import org.relume.nn.Network;
import org.relume.optim.Sgd;
import org.relume.train.TrainConfig;
import org.relume.train.TrainResult;
import org.relume.train.Trainer;

/**
 * GradMax (Evci et al. 2022) through the trainer's listener hook: a student 10-5-10 learns a
 * 10-10-10 teacher and gains one hidden unit every 200 steps, five times, each with zero incoming
 * weights and outgoing weights along the top singular vectors of the gradient.
 */
public final class GrowWithGradMax {
    private GrowWithGradMax() {}

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        Dataset data = GrowthData.studentTeacher(1000, 10, 10, 10, 1);
        Network student = Mlp.builder().inputs(10).hidden(5).outputs(10).activation(Activations.relu())
                .init(Initializer.KAIMING_UNIFORM).bias(false).seed(2).build();
        GrowthListener growth = new GrowthListener(GrowthMethod.GRADMAX, GrowthSchedule.every(200, 200, 5, 0),
                Growth.Settings.defaults(), Loss.MSE, 3);
        TrainConfig config = TrainConfig.defaults().epochs(epochs).optimizer(Sgd.plain(0.1)).listener(growth);
        TrainResult r = new Trainer(config).train(student, data, null);
        for (GrowthListener.Event e : growth.events()) {
            System.out.printf("step %4d: grew to %s, gradient-norm gain %.4f%n", e.step(), e.architecture(), e.gradNormGain());
        }
        System.out.printf("final %s, training MSE %.4f%n", r.network().architecture(), r.train().mse());
    }
}
