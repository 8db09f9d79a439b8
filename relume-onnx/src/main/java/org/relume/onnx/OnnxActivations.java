package org.relume.onnx;

import java.util.List;
import java.util.Map;
import org.relume.nn.Activations;
import org.relume.tensor.kernel.PointwiseFunction;

/**
 * Relume's activations as ONNX operators (opset 17): relu, leaky_relu (alpha = the negative
 * slope), sigmoid, tanh, softplus, softsign and elu (alpha) have an operator of their own; swish,
 * x * sigmoid(x), is built from Sigmoid and Mul; identity adds nothing. relu's grad_at_zero only
 * changes training (relu'(0)), not the function, so it is dropped.
 */
final class OnnxActivations {
    private OnnxActivations() {}

    /** The value f(x); {@code x} itself for the identity. */
    static String apply(OnnxGraph g, String x, PointwiseFunction f, String stem) {
        Map<String, Float> p = Activations.parameters(f);
        return switch (f.name()) {
            case "identity" -> x;
            case "relu" -> g.node("Relu", stem, List.of(x));
            case "leaky_relu" -> g.node("LeakyRelu", stem, List.of(x), OnnxGraph.attribute("alpha", p.get("negative_slope")));
            case "elu" -> g.node("Elu", stem, List.of(x), OnnxGraph.attribute("alpha", p.get("alpha")));
            case "sigmoid" -> g.node("Sigmoid", stem, List.of(x));
            case "tanh" -> g.node("Tanh", stem, List.of(x));
            case "softplus" -> g.node("Softplus", stem, List.of(x));
            case "softsign" -> g.node("Softsign", stem, List.of(x));
            case "swish" -> g.node("Mul", stem, List.of(x, g.node("Sigmoid", stem + ".sigmoid", List.of(x))));
            default -> throw new IllegalArgumentException("ONNX export: the activation " + f.name() + " has no ONNX form");
        };
    }
}
