package org.relume.tensor;

import java.util.ArrayList;
import java.util.List;
import org.relume.tensor.kernel.SideLane;

/**
 * Reverse-mode automatic differentiation over coarse operations (micrograd's idea, with buffers
 * that persist).
 *
 * <p>Forward functions ask the tape for output Vars with {@link #alloc} and record a {@link Node}
 * with {@link #record}. Both are pooled <em>by position</em>: the k-th allocation after
 * {@link #reset()} returns the same Var, buffer included, as the k-th allocation of the previous
 * step. A training loop whose steps perform the same sequence of operations therefore allocates
 * nothing after its first step. {@link #backward} walks the nodes in reverse and calls each op's
 * local rule. On two or more cores the rules may hand weight gradients to the {@link SideLane};
 * backward returns when they are done.
 *
 * <p>A tape is single-threaded. One tape per network per thread.
 */
public final class Tape {
    private final List<Var> vars = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private int varCount;
    private int nodeCount;
    private boolean gradEnabled = true;
    /** An activation already computed by the op that produced its input (see {@link #prepare}). */
    private Var preparedInput;
    private Object preparedFunction;
    private Var prepared;

    /** Forgets the recorded nodes; pooled Vars and buffers are kept for the next step. */
    public void reset() {
        for (int i = 0; i < nodeCount; i++) {
            nodes.get(i).clearRefs();
        }
        for (int i = 0; i < varCount; i++) {
            vars.get(i).zeroGrad();
        }
        varCount = 0;
        nodeCount = 0;
        prepared = null;
        preparedInput = null;
        preparedFunction = null;
    }

    /**
     * Records that {@code y = function(x)} is already computed: a product can store its activation
     * from the registers that hold its result, and the pointwise op that asks next for
     * {@code function(x)} takes y from {@link #takePrepared} instead of making another pass.
     */
    void prepare(Var x, Object function, Var y) {
        preparedInput = x;
        preparedFunction = function;
        prepared = y;
    }

    /** The prepared {@code function(x)}, handed out once, or null. */
    Var takePrepared(Var x, Object function) {
        if (prepared == null || preparedInput != x || preparedFunction != function) {
            return null;
        }
        Var y = prepared;
        prepared = null;
        preparedInput = null;
        preparedFunction = null;
        return y;
    }

    /** When false, forward functions record nothing (inference); outputs never require gradients. */
    public void setGradEnabled(boolean enabled) {
        this.gradEnabled = enabled;
    }

    public boolean gradEnabled() {
        return gradEnabled;
    }

    /** True if an op with these inputs must be recorded. */
    public boolean needsGrad(Var a) {
        return gradEnabled && a != null && a.requiresGrad();
    }

    public boolean needsGrad(Var a, Var b) {
        return gradEnabled && ((a != null && a.requiresGrad()) || (b != null && b.requiresGrad()));
    }

    public boolean needsGrad(Var a, Var b, Var c) {
        return needsGrad(a, b) || needsGrad(c);
    }

    /** The pooled rank-2 output Var for the current position, resized to [d0, d1]. */
    public Var alloc(int d0, int d1, boolean requiresGrad) {
        Var v;
        if (varCount < vars.size()) {
            v = vars.get(varCount);
            v.value().reshapeInPlace(d0, d1);
        } else {
            v = new Var(Tensor.zeros(d0, d1), requiresGrad);
            vars.add(v);
        }
        varCount++;
        v.setRequiresGrad(requiresGrad);
        v.zeroGrad();
        return v;
    }

    /** The pooled output Var for the current position, resized to {@code shape}. */
    public Var alloc(int[] shape, boolean requiresGrad) {
        Var v;
        if (varCount < vars.size()) {
            v = vars.get(varCount);
            v.value().reshapeInPlace(shape);
        } else {
            v = new Var(Tensor.zeros(shape), requiresGrad);
            vars.add(v);
        }
        varCount++;
        v.setRequiresGrad(requiresGrad);
        v.zeroGrad();
        return v;
    }

    /** The pooled output Var for the current position, shaped like {@code like}. */
    public Var allocLike(Tensor like, boolean requiresGrad) {
        return alloc(like.shapeRef(), requiresGrad);
    }

    /** A pooled scalar output Var. */
    public Var allocScalar(boolean requiresGrad) {
        return alloc(EMPTY_SHAPE, requiresGrad);
    }

    private static final int[] EMPTY_SHAPE = new int[0];

    /**
     * Records an application of {@code op} producing {@code out} from up to three inputs (nulls for
     * unused) and returns the pooled node, so the caller can store more state in it.
     */
    public Node record(Op op, Var out, Var in0, Var in1, Var in2) {
        Node n;
        if (nodeCount < nodes.size()) {
            n = nodes.get(nodeCount);
        } else {
            n = new Node();
            nodes.add(n);
        }
        nodeCount++;
        n.op = op;
        n.out = out;
        n.in0 = in0;
        n.in1 = in1;
        n.in2 = in2;
        return n;
    }

    /** Names of the ops recorded since the last reset, in order (for tests and debugging). */
    public List<String> recordedOps() {
        List<String> names = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeCount; i++) {
            names.add(nodes.get(i).op.name());
        }
        return names;
    }

    /** Number of Vars handed out since the last reset. */
    int allocated() {
        return varCount;
    }

    /** Number of nodes recorded since the last reset. */
    public int size() {
        return nodeCount;
    }

    /**
     * Back-propagates from a one-element {@code loss}: seeds its gradient with 1 and runs every
     * recorded node's rule in reverse order. Nodes whose output received no gradient are skipped.
     */
    public void backward(Var loss) {
        if (loss.value().numel() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar loss, got shape " + loss.value().shapeString());
        }
        if (!loss.requiresGrad()) {
            throw new IllegalStateException("the loss does not depend on anything that requires a gradient"
                    + (gradEnabled ? "" : " (gradients are disabled on this tape)"));
        }
        loss.beginGradWrite();
        loss.grad().data()[0] = 1f;
        boolean lane = SideLane.open();
        Throwable failure = null;
        try {
            for (int i = nodeCount - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                if (n.out.hasGrad()) {
                    n.op.backward(n);
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (lane) {
                closeLane(failure);
            }
        }
    }

    /** Every gradient is complete when backward returns: waits for the side lane's tasks. */
    private static void closeLane(Throwable failure) {
        try {
            SideLane.close();
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
