package org.relume.tensor;

/** Shape checks with messages that name the operation, the operand and what was expected. */
public final class Shapes {
    private Shapes() {}

    public static void requireRank(String op, String operand, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new ShapeException(op + ": " + operand + " must have rank " + rank + ", got shape " + t.shapeString());
        }
    }

    public static void requireSameShape(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new ShapeException(op + ": operands must have the same shape, got " + a.shapeString()
                    + " and " + b.shapeString());
        }
    }

    public static void requireScalar(String op, Tensor t) {
        if (t.numel() != 1) {
            throw new ShapeException(op + ": expected a single value, got shape " + t.shapeString());
        }
    }
}
