package org.relume.data.expression;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A recursive-descent parser for {@link Expression}, one method per precedence level:
 * <pre>
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?          right-associative: 2^3^2 = 2^9; -x^2 = -(x^2)
 *   primary := NUMBER | 'x' | 'e' | 'pi' | FUNCTION '(' sum ')' | '(' sum ')'
 * </pre>
 * with the functions exp, log (natural), sin, cos, tanh, sqrt and abs. Juxtaposition ({@code 2x})
 * is refused rather than read as a product, because {@code 2e} or {@code xe} would then mean
 * something a user did not write. Nesting is capped so that hostile input cannot overflow the
 * stack; every error names the 1-based position it was found at.
 */
final class ExpressionParser {
    /** Deeper nesting than any real formula needs; keeps the recursion far from the stack's limit. */
    static final int MAX_DEPTH = 100;
    /** Caps the closure tree too: a chain of thousands of terms would nest that deep when evaluated. */
    static final int MAX_LENGTH = 2000;

    private static final Map<String, DoubleUnaryOperator> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("exp", Math::exp);
        FUNCTIONS.put("log", Math::log);
        FUNCTIONS.put("sin", Math::sin);
        FUNCTIONS.put("cos", Math::cos);
        FUNCTIONS.put("tanh", Math::tanh);
        FUNCTIONS.put("sqrt", Math::sqrt);
        FUNCTIONS.put("abs", Math::abs);
    }

    private final String text;
    private int pos;
    private int depth;

    ExpressionParser(String text) {
        this.text = text == null ? "" : text;
    }

    Expression parse() {
        if (text.length() > MAX_LENGTH) {
            throw error(MAX_LENGTH, "longer than " + MAX_LENGTH + " characters");
        }
        skipSpaces();
        if (pos == text.length()) {
            throw error(pos, "the expression is empty");
        }
        DoubleUnaryOperator body = sum();
        skipSpaces();
        if (pos < text.length()) {
            throw error(pos, text.charAt(pos) == ')' ? "')' without a matching '('"
                    : "expected an operator (+ - * / ^) before '" + text.charAt(pos) + "'");
        }
        return new Expression(text, body);
    }

    private DoubleUnaryOperator sum() {
        DoubleUnaryOperator left = product();
        while (true) {
            char op = peek();
            if (op != '+' && op != '-') {
                return left;
            }
            pos++;
            left = combine(left, product(), op == '+' ? Double::sum : (a, b) -> a - b);
        }
    }

    private DoubleUnaryOperator product() {
        DoubleUnaryOperator left = unary();
        while (true) {
            char op = peek();
            if (op != '*' && op != '/') {
                return left;
            }
            pos++;
            left = combine(left, unary(), op == '*' ? (a, b) -> a * b : (a, b) -> a / b);
        }
    }

    private DoubleUnaryOperator unary() {
        char c = peek();
        if (c == '-' || c == '+') {
            int at = pos++;
            enter(at);
            DoubleUnaryOperator operand = unary();
            depth--;
            return c == '-' ? x -> -operand.applyAsDouble(x) : operand;
        }
        return power();
    }

    private DoubleUnaryOperator power() {
        DoubleUnaryOperator base = primary();
        if (peek() != '^') {
            return base;
        }
        int at = pos++;
        enter(at);
        DoubleUnaryOperator exponent = unary();
        depth--;
        return combine(base, exponent, Math::pow);
    }

    private DoubleUnaryOperator primary() {
        skipSpaces();
        if (pos == text.length()) {
            throw error(pos, "the expression ends where a number, x, a constant, a function or '(' was expected");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            return parenthesized(pos);
        }
        if (Character.isDigit(c) || c == '.') {
            double v = number();
            return x -> v;
        }
        if (Character.isLetter(c)) {
            return named();
        }
        throw error(pos, "unexpected '" + c + "'; expected a number, x, a constant, a function or '('");
    }

    private DoubleUnaryOperator parenthesized(int open) {
        pos++;
        enter(open);
        DoubleUnaryOperator inner = sum();
        depth--;
        if (peek() != ')') {
            throw error(pos, pos == text.length() ? "missing ')' to close the '(' at position " + (open + 1)
                    : "expected ')' to close the '(' at position " + (open + 1) + ", found '" + text.charAt(pos) + "'");
        }
        pos++;
        return inner;
    }

    private DoubleUnaryOperator named() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        switch (name) {
            case "x":
                return x -> x;
            case "e":
                return x -> Math.E;
            case "pi":
                return x -> Math.PI;
            default:
                break;
        }
        DoubleUnaryOperator f = FUNCTIONS.get(name);
        if (f == null) {
            throw error(start, "unknown name '" + text.substring(start, pos) + "' (known: x, e, pi, "
                    + String.join(", ", FUNCTIONS.keySet()) + ")");
        }
        if (peek() != '(') {
            throw error(pos, "expected '(' after the function " + name);
        }
        DoubleUnaryOperator argument = parenthesized(pos);
        return x -> f.applyAsDouble(argument.applyAsDouble(x));
    }

    /** Digits with an optional fraction and exponent; "2e" stops before the e, which then fails as juxtaposition. */
    private double number() {
        int start = pos;
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                digits();
            } else {
                pos = mark;
            }
        }
        String literal = text.substring(start, pos);
        if (literal.equals(".")) {
            throw error(start, "a lone '.' is not a number");
        }
        return Double.parseDouble(literal);
    }

    private void digits() {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    /** The next character that is not a space, without consuming it; 0 at the end. */
    private char peek() {
        skipSpaces();
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw error(at, "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private static DoubleUnaryOperator combine(DoubleUnaryOperator a, DoubleUnaryOperator b, DoubleBinaryOperator op) {
        return x -> op.applyAsDouble(a.applyAsDouble(x), b.applyAsDouble(x));
    }

    private IllegalArgumentException error(int at, String problem) {
        return new IllegalArgumentException("bad expression '" + text + "': at position " + (at + 1) + ": " + problem);
    }
}
