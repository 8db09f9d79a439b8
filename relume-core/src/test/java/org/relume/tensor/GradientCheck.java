package org.relume.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Finite-difference gradient checks in double precision: the engine's float forward and analytic
 * backward are compared with an independent double-precision reference of the same function and
 * its central differences.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** Names of every op that took part in a passing check (for the reflective coverage test). */
    public static final Set<String> CHECKED_OPS = Collections.synchronizedSet(new HashSet<>());

    /** Builds the scalar on the tape from the input Vars. */
    public interface EngineFunction {
        Var apply(Tape tape, Var[] inputs);
    }

    /** The same scalar in double precision. */
    public interface ReferenceFunction {
        double apply(double[][] inputs);
    }

    /** Random inputs in [-1, 1], kept at least {@code margin} away from 0 (away from kinks). */
    public static Tensor[] randomInputs(SplittableRandom r, double margin, int[]... shapes) {
        Tensor[] t = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            t[i] = Tensor.zeros(shapes[i]);
            float[] d = t[i].data();
            for (int j = 0; j < t[i].numel(); j++) {
                double v = margin + (1 - margin) * r.nextDouble();
                d[j] = (float) (r.nextBoolean() ? v : -v);
            }
        }
        return t;
    }

    /**
     * Checks value and gradient with respect to every input that {@code requiresGrad} marks.
     * Returns the number of gradient entries compared.
     */
    public static int check(String name, Tensor[] inputs, boolean[] requiresGrad,
                            EngineFunction engine, ReferenceFunction reference) {
        Tape tape = new Tape();
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = requiresGrad[i] ? Var.parameter("in" + i, inputs[i].copy()) : Var.constant(inputs[i].copy());
        }
        Var out = engine.apply(tape, vars);
        List<String> ops = tape.recordedOps();
        tape.backward(out);

        double[][] x = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = new double[inputs[i].numel()];
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = inputs[i].data()[j];
            }
        }
        double refValue = reference.apply(x);
        double value = out.value().item();
        assertEquals(refValue, value, 1e-5 * Math.max(1, Math.abs(refValue)), name + ": forward value");

        int compared = 0;
        double h = 1e-6;
        for (int i = 0; i < inputs.length; i++) {
            if (!requiresGrad[i]) {
                continue;
            }
            for (int j = 0; j < x[i].length; j++) {
                double saved = x[i][j];
                x[i][j] = saved + h;
                double plus = reference.apply(x);
                x[i][j] = saved - h;
                double minus = reference.apply(x);
                x[i][j] = saved;
                double numeric = (plus - minus) / (2 * h);
                double analytic = vars[i].hasGrad() ? vars[i].grad().data()[j] : 0.0;
                final int ii = i;
                final int jj = j;
                assertEquals(numeric, analytic, 2e-4 + 2e-3 * Math.abs(numeric),
                        () -> name + ": d/d input" + ii + "[" + jj + "]");
                compared++;
            }
        }
        assertTrue(compared > 0 || requiresNone(requiresGrad), name + ": nothing compared");
        CHECKED_OPS.addAll(ops);
        return compared;
    }

    private static boolean requiresNone(boolean[] r) {
        for (boolean b : r) {
            if (b) {
                return false;
            }
        }
        return true;
    }

    /** Fixed random weights so that checks see non-uniform upstream gradients. */
    public static double[] weights(SplittableRandom r, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 2 * r.nextDouble() - 1;
        }
        return w;
    }

    public static Tensor toTensor(double[] w, int... shape) {
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) w[i];
        }
        return Tensor.of(f, shape);
    }

    public static double weightedSum(double[] x, double[] w) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * w[i];
        }
        return s;
    }
}
