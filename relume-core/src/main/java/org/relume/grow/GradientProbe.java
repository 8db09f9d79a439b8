package org.relume.grow;

import org.relume.data.Batch;
import org.relume.loss.Loss;
import org.relume.nn.Network;
import org.relume.tensor.Tape;
import org.relume.tensor.Tensor;
import org.relume.tensor.Var;

/**
 * The two quantities GradMax needs around hidden layer l, from one forward and backward pass on a
 * batch (Evci et al. 2022, REFERENCES.md §4.1): the layer's input H [in, batch] (the previous
 * layer's activations, or the data) and dL/dZ [out', batch], the loss gradient at the next layer's
 * preactivation. Their product G = dZ [H; 1]^T is the gradient of an auxiliary linear map
 * H -> Z that does not exist yet; a bias row of ones is included when the layer has biases.
 */
public record GradientProbe(Tensor input, Tensor nextGradient, double loss) {

    public static GradientProbe at(Network net, int layer, Batch batch, Loss loss) {
        Tape tape = new Tape();
        Var[] pre = new Var[net.layerCount()];
        Var x = Var.constant(batch.x());
        Var out = net.forward(tape, x, p -> pre[p.layer()] = p.value());
        Var l = loss.apply(tape, out, batch);
        tape.backward(l);
        Tensor h;
        if (layer == 0) {
            h = batch.x().copy();
        } else {
            Tensor g = pre[layer - 1].value();
            h = Tensor.zeros(g.rows(), g.cols());
            net.layer(layer - 1).activation().forward(g.data(), h.data(), g.numel());
        }
        Var next = pre[layer + 1];
        Tensor dz = next.hasGrad() ? next.grad().copy() : Tensor.zeros(next.value().rows(), next.value().cols());
        return new GradientProbe(h, dz, l.value().item());
    }

    /** G = dZ [H; 1]^T (out' x (in + 1)) or dZ H^T (out' x in), in double. */
    public double[][] auxiliaryGradient(boolean withBias) {
        int outs = nextGradient.rows();
        int ins = input.rows();
        int b = input.cols();
        double[][] g = new double[outs][ins + (withBias ? 1 : 0)];
        float[] dz = nextGradient.data();
        float[] h = input.data();
        for (int o = 0; o < outs; o++) {
            for (int i = 0; i < ins; i++) {
                double s = 0;
                for (int n = 0; n < b; n++) {
                    s += (double) dz[o * b + n] * h[i * b + n];
                }
                g[o][i] = s;
            }
            if (withBias) {
                double s = 0;
                for (int n = 0; n < b; n++) {
                    s += dz[o * b + n];
                }
                g[o][ins] = s;
            }
        }
        return g;
    }
}
