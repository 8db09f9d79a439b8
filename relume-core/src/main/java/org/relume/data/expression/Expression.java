package org.relume.data.expression;

import java.util.function.DoubleUnaryOperator;

/**
 * A function of one variable x written as text, e.g. {@code (exp(x)-1)/(e-1)}, so that a user can
 * fit any 1-D curve ({@code fn:EXPR} data) without Relume shipping it as a named curve. The text is
 * parsed once by {@link ExpressionParser} into a tree of closures; nothing is ever evaluated as
 * code, so an expression can compute numbers and nothing else.
 */
public final class Expression implements DoubleUnaryOperator {
    private final String text;
    private final DoubleUnaryOperator body;

    Expression(String text, DoubleUnaryOperator body) {
        this.text = text;
        this.body = body;
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException one line naming the expression, the 1-based position and
     *                                  the problem, e.g. {@code at position 5: unknown name 'y'}
     */
    public static Expression parse(String text) {
        return new ExpressionParser(text).parse();
    }

    /** The value at {@code x}; may be NaN or infinite (log(0)), which callers must check. */
    @Override
    public double applyAsDouble(double x) {
        return body.applyAsDouble(x);
    }

    /** The text it was parsed from. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
