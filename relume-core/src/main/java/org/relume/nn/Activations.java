package org.relume.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.relume.tensor.kernel.PointwiseFunction;
import org.relume.tensor.kernel.PointwiseFunctions;

/**
 * Activation functions by name, for builders, the command line and model files.
 *
 * <p>Names: relu, leaky_relu, sigmoid, tanh, softplus, softsign, elu, swish, identity. relu takes
 * {@code grad_at_zero} (0, the PyTorch/Keras convention, or 1, which GradMax needs); leaky_relu
 * takes {@code negative_slope} (default 0.01); elu takes {@code alpha} (default 1).
 */
public final class Activations {
    private Activations() {}

    public static final List<String> NAMES = List.of(
            "relu", "leaky_relu", "sigmoid", "tanh", "softplus", "softsign", "elu", "swish", "identity");

    public static PointwiseFunction relu() {
        return PointwiseFunctions.relu(0f);
    }

    /** The function called {@code name} with default parameters. */
    public static PointwiseFunction byName(String name) {
        return byName(name, Map.of());
    }

    /** The function called {@code name} with the given parameters (unknown keys are rejected). */
    public static PointwiseFunction byName(String name, Map<String, ? extends Number> params) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "relu" -> {
                allowOnly(n, params, "grad_at_zero");
                yield PointwiseFunctions.relu(param(params, "grad_at_zero", 0f));
            }
            case "leaky_relu", "leakyrelu" -> {
                allowOnly(n, params, "negative_slope");
                yield PointwiseFunctions.leakyRelu(param(params, "negative_slope", 0.01f));
            }
            case "elu" -> {
                allowOnly(n, params, "alpha");
                yield PointwiseFunctions.elu(param(params, "alpha", 1f));
            }
            case "sigmoid" -> simple(n, params, PointwiseFunctions.SIGMOID);
            case "tanh" -> simple(n, params, PointwiseFunctions.TANH);
            case "softplus" -> simple(n, params, PointwiseFunctions.SOFTPLUS);
            case "softsign" -> simple(n, params, PointwiseFunctions.SOFTSIGN);
            case "swish", "silu" -> simple(n, params, PointwiseFunctions.SWISH);
            case "identity", "linear", "none" -> simple(n, params, PointwiseFunctions.IDENTITY);
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: "
                    + String.join(", ", NAMES));
        };
    }

    /** The parameters that, with {@link PointwiseFunction#name()}, rebuild {@code f} via byName. */
    /** The activation's model-file fields, {@code activation} and (when it has any) {@code activation_params}. */
    static void putConfig(Map<String, Object> config, PointwiseFunction f) {
        config.put("activation", f.name());
        Map<String, Float> params = parameters(f);
        if (!params.isEmpty()) {
            config.put("activation_params", params);
        }
    }

    public static Map<String, Float> parameters(PointwiseFunction f) {
        return new LinkedHashMap<>(PointwiseFunctions.parameters(f));
    }

    /** A readable description such as {@code relu(grad_at_zero=0.0)}. */
    public static String describe(PointwiseFunction f) {
        Map<String, Float> p = parameters(f);
        if (p.isEmpty()) {
            return f.name();
        }
        StringBuilder sb = new StringBuilder(f.name()).append('(');
        p.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ", ").append(k).append('=').append(v));
        return sb.append(')').toString();
    }

    private static PointwiseFunction simple(String name, Map<String, ? extends Number> params, PointwiseFunction f) {
        allowOnly(name, params);
        return f;
    }

    private static void allowOnly(String name, Map<String, ? extends Number> params, String... keys) {
        for (String k : params.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw new IllegalArgumentException("activation " + name + " has no parameter '" + k + "'"
                        + (keys.length == 0 ? "" : "; it takes " + String.join(", ", keys)));
            }
        }
    }

    private static float param(Map<String, ? extends Number> params, String key, float dflt) {
        Number v = params.get(key);
        return v == null ? dflt : v.floatValue();
    }
}
