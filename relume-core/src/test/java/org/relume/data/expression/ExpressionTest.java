package org.relume.data.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpressionTest {
    private static double at(String text, double x) {
        return Expression.parse(text).applyAsDouble(x);
    }

    private static void refused(String text, String position, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Expression.parse(text), text);
        String m = e.getMessage();
        assertTrue(m.contains("at position " + position + ":"), m);
        assertTrue(m.contains(problem), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void theIssuesTargetIsZeroAtZeroAndOneAtOne() {
        Expression f = Expression.parse("(exp(x)-1)/(e-1)");
        assertEquals(0, f.applyAsDouble(0), 0);
        assertEquals(1, f.applyAsDouble(1), 1e-15);
        assertEquals((Math.exp(0.3) - 1) / (Math.E - 1), f.applyAsDouble(0.3), 1e-15);
        assertEquals("(exp(x)-1)/(e-1)", f.text());
    }

    @Test
    void precedenceAndAssociativity() {
        assertEquals(7, at("1 + 2 * 3", 0), 0);
        assertEquals(-1, at("1 - 2", 0), 0);
        assertEquals(-4, at("1 - 2 - 3", 0), 0, "left-associative minus");
        assertEquals(1, at("8 / 4 / 2", 0), 0, "left-associative division");
        assertEquals(512, at("2^3^2", 0), 0, "right-associative power");
        assertEquals(-9, at("-x^2", 3), 0, "unary minus binds looser than ^");
        assertEquals(0.5, at("2^-1", 0), 0);
        assertEquals(9, at("(-x)^2", 3), 0);
        assertEquals(3, at("--3", 0), 0);
        assertEquals(6, at("2*+3", 0), 0);
    }

    @Test
    void numbersConstantsAndFunctions() {
        assertEquals(0.001, at("1e-3", 0), 0);
        assertEquals(250, at("2.5E2", 0), 0);
        assertEquals(0.5, at(".5", 0), 0);
        assertEquals(Math.PI, at("pi", 0), 0);
        assertEquals(Math.E, at("E", 0), 0, "names are case-insensitive");
        assertEquals(Math.log(2), at("log(x)", 2), 0);
        assertEquals(Math.sin(1) + Math.cos(1), at("sin(x) + cos(x)", 1), 1e-15);
        assertEquals(Math.tanh(3 * 0.4), at("tanh(3*x)", 0.4), 1e-15);
        assertEquals(2, at("sqrt(abs(x))", -4), 0);
        assertEquals(Math.sin(Math.PI * 0.3 / 2), at(" sin ( pi * x / 2 ) ", 0.3), 1e-15);
    }

    @Test
    void valuesOutsideTheDomainAreNaNOrInfiniteForTheCallerToCheck() {
        assertTrue(Double.isInfinite(at("log(x)", 0)));
        assertTrue(Double.isNaN(at("sqrt(x)", -1)));
        assertTrue(Double.isInfinite(at("1/x", 0)));
    }

    @Test
    void badInputNamesThePosition() {
        refused("", "1", "empty");
        refused("   ", "4", "empty");
        refused("(exp(x)-1/(e-1)", "16", "missing ')' to close the '(' at position 1");
        refused("x)", "2", "')' without a matching '('");
        refused("2x", "2", "expected an operator");
        refused("2e", "2", "expected an operator");
        refused("x +", "4", "the expression ends");
        refused("x * * 2", "5", "unexpected '*'");
        refused("y + 1", "1", "unknown name 'y'");
        refused("sinh(x)", "1", "unknown name 'sinh'");
        refused("exp x", "5", "expected '(' after the function exp");
        refused("exp()", "5", "unexpected ')'");
        refused("x # 2", "3", "expected an operator");
        refused("1 + .", "5", "a lone '.'");
        refused("(x, 2)", "3", "expected ')' to close the '(' at position 1, found ','");
    }

    @Test
    void hostileInputIsRefusedNotOverflowed() {
        refused("(".repeat(5000) + "x" + ")".repeat(5000), "2001", "longer than 2000 characters");
        refused("(".repeat(500) + "x" + ")".repeat(500), "101", "nested more than 100 levels");
        refused("-".repeat(500) + "x", "101", "nested more than 100 levels");
        assertEquals(1, at("(".repeat(100) + "x" + ")".repeat(100), 1), 0);
        assertEquals(999, at("x" + "+x".repeat(998), 1), 0, "long flat chains are fine");
    }
}
