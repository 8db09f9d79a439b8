package org.relume.tensor;

/**
 * One recorded application of an {@link Op}. Nodes are pooled by position on the tape and reused
 * every step, so an op stores what its backward needs in these fields rather than in new objects:
 * up to three inputs, small int/float arguments, an arbitrary helper object, and a scratch tensor
 * that persists with the node across steps (e.g. softmax probabilities).
 */
public final class Node {
    public Op op;
    public Var out;
    public Var in0;
    public Var in1;
    public Var in2;
    public int i0;
    public int i1;
    public float f0;
    public Object aux;
    /** Scratch owned by this tape position; survives {@link Tape#reset()} for reuse. */
    public Tensor scratch;
    /** Second scratch, same lifetime. */
    public int[] intScratch;
    /** A task object owned by this position for work handed to the side lane; same lifetime. */
    public Runnable sideTask;

    void clearRefs() {
        op = null;
        out = null;
        in0 = null;
        in1 = null;
        in2 = null;
        aux = null;
        i0 = 0;
        i1 = 0;
        f0 = 0f;
    }

    /** A scratch tensor of the given rank-2 shape, reusing this position's buffer. */
    public Tensor scratch(int d0, int d1) {
        if (scratch == null) {
            scratch = Tensor.zeros(d0, d1);
        }
        return scratch.reshapeInPlace(d0, d1);
    }

    /** An int scratch array of at least n elements, reusing this position's buffer. */
    public int[] intScratch(int n) {
        if (intScratch == null || intScratch.length < n) {
            intScratch = new int[Math.max(n, 4)];
        }
        return intScratch;
    }
}
