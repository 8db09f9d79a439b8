package org.relume.nn;

import java.util.Arrays;
import org.relume.tensor.Var;

/**
 * The states a block's stages may read: x_0..x_k (the main path), T_j(x_j) as computed by stage j
 * (AGD2 reuses each once-computed T_j(x_j) in every later layer, Li et al. eq. 13), and a second
 * path x'_j for the two-path ADMM structures (eqs. 14, 20), and a running sum a stage carries to the
 * next (ADMM's multiplier s_k, so a layer adds one term instead of 2k). Indices are relative to the block's
 * start. Arrays are kept between steps so a warm forward pass allocates nothing.
 */
public final class StageStates {
    private Var[] x = new Var[0];
    private Var[] t = new Var[0];
    private Var[] side = new Var[0];
    private Var[] carried = new Var[0];
    private int count;
    private int blockStart;

    /** Starts a forward pass from the network input; room for {@code stages} stages. */
    void begin(Var input, int stages) {
        if (x.length < stages + 1) {
            x = new Var[stages + 1];
            t = new Var[stages + 1];
            side = new Var[stages + 1];
            carried = new Var[stages + 1];
        }
        Arrays.fill(x, null);
        Arrays.fill(t, null);
        Arrays.fill(side, null);
        Arrays.fill(carried, null);
        x[0] = input;
        count = 1;
        blockStart = 0;
    }

    /** Called before a stage runs: a stage at position 0 makes the latest state its block's x_0. */
    void enter(Stage stage) {
        if (stage.position() == 0) {
            blockStart = count - 1;
        } else if (stage.position() != count - 1 - blockStart) {
            throw new IllegalStateException("stage " + stage.type() + " expects to be layer " + stage.position()
                    + " of its block but runs as layer " + (count - 1 - blockStart));
        }
    }

    void push(Var next) {
        x[count++] = next;
    }

    Var last() {
        return x[count - 1];
    }

    /** k: the index of the newest state in the block. */
    public int k() {
        return count - 1 - blockStart;
    }

    /** x_j of the current block, 0 &lt;= j &lt;= k. */
    public Var x(int j) {
        return x[index(j)];
    }

    /** x_{j} for j >= 0, and x_0 for j = -1 (the usual start of a momentum method, x_{-1} = x_0). */
    public Var xOrFirst(int j) {
        return x(Math.max(j, 0));
    }

    /** T_j(x_j) as stored by stage j with {@link #setT}. */
    public Var t(int j) {
        Var v = t[index(j)];
        if (v == null) {
            throw new IllegalStateException("T_" + j + "(x_" + j + ") was not stored by layer " + j + " of this block");
        }
        return v;
    }

    /** Stores T_k(x_k) for later layers of the block. */
    public void setT(int j, Var value) {
        t[index(j)] = value;
    }

    /** x'_j, the second path; x'_0 = x_0 unless set. */
    public Var side(int j) {
        Var v = side[index(j)];
        return v == null && j == 0 ? x(0) : v;
    }

    public void setSide(int j, Var value) {
        side[index(j)] = value;
    }

    /** The running sum stored by layer j - 1 for layer j, or null (an empty sum) if none was stored. */
    public Var carried(int j) {
        return carried[index(j)];
    }

    public void setCarried(int j, Var value) {
        carried[index(j)] = value;
    }

    private int index(int j) {
        if (j < 0 || j > k() + 1) {
            throw new IndexOutOfBoundsException("state " + j + " of a block at layer " + k());
        }
        return blockStart + j;
    }
}
