package org.relume.tensor;

/** A tensor operation received operands whose shapes do not fit; the message says how. */
public final class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
