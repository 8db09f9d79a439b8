package org.relume.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x in float from additions, multiplications, fused multiply-adds and bit operations only, with a
 * vector form and a scalar form that round identically. The Vector API's own EXP calls the
 * platform's math library, whose result may differ between a 256-bit and a 512-bit build of the
 * same function; this one gives the same bits on every CPU and in every lane.
 *
 * <p>x = k ln 2 + r with k = round(x / ln 2) and |r| &lt;= ln 2 / 2 (ln 2 split in two parts so r is
 * exact); e^r by its Taylor polynomial of degree 6 (relative error below 2e-7, about one float
 * ulp); then times 2^k by building the exponent bits. x is clamped to [-87, 88] so 2^k stays a
 * normal float.
 */
final class FastExp {
    private FastExp() {}

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f;
    private static final float LN2_LO = 1.42860677e-6f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, half to even. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float LO = -87f;
    private static final float HI = 88f;
    private static final float C2 = 1f / 2;
    private static final float C3 = 1f / 6;
    private static final float C4 = 1f / 24;
    private static final float C5 = 1f / 120;
    private static final float C6 = 1f / 720;

    static float exp(float x) {
        x = Math.min(Math.max(x, LO), HI);
        float t = Math.fma(x, LOG2E, ROUNDER);
        float k = t - ROUNDER;
        float r = Math.fma(-k, LN2_HI, x);
        r = Math.fma(-k, LN2_LO, r);
        float p = Math.fma(C6, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) - ROUNDER_BITS + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }

    static FloatVector exp(FloatVector v) {
        var sp = v.species();
        FloatVector x = v.max(LO).min(HI);
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector k = t.sub(ROUNDER);
        FloatVector negK = k.neg();
        FloatVector r = negK.fma(FloatVector.broadcast(sp, LN2_HI), x);
        r = negK.fma(FloatVector.broadcast(sp, LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(sp, C6), FloatVector.broadcast(sp, C5));
        p = p.fma(r, FloatVector.broadcast(sp, C4));
        p = p.fma(r, FloatVector.broadcast(sp, C3));
        p = p.fma(r, FloatVector.broadcast(sp, C2));
        p = p.fma(r, FloatVector.broadcast(sp, 1f));
        p = p.fma(r, FloatVector.broadcast(sp, 1f));
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }
}
