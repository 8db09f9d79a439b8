package org.relume.onnx;

/**
 * A value of the ONNX graph being built and its layout: flat [N, features], as Relume's dense
 * layers and its model files see every sample, or an image batch [N, C, H, W]. Relume keeps an
 * image as one feature-major vector of C*H*W features in channel, row, column order, which is
 * exactly the NCHW order ONNX's Reshape and Flatten use, so moving between the two layouts
 * reorders nothing.
 */
record OnnxValue(String name, int features, int channels, int height, int width) {

    static OnnxValue flat(String name, int features) {
        return new OnnxValue(name, features, 0, 0, 0);
    }

    static OnnxValue image(String name, int channels, int height, int width) {
        return new OnnxValue(name, channels * height * width, channels, height, width);
    }

    boolean isImage() {
        return channels > 0;
    }

    /** This value as [N, features], flattening an image (Flatten, axis 1). */
    OnnxValue asFlat(OnnxGraph g) {
        if (!isImage()) {
            return this;
        }
        return flat(g.node("Flatten", name + ".flat", java.util.List.of(name), OnnxGraph.attribute("axis", 1L)), features);
    }

    /** This value as [N, C, H, W] (Reshape; the batch dimension stays free). */
    OnnxValue asImage(OnnxGraph g, int c, int h, int w) {
        if (isImage() && channels == c && height == h && width == w) {
            return this;
        }
        if (features != c * h * w) {
            throw new IllegalArgumentException("ONNX export: " + features + " features do not make a " + c + "x" + h + "x" + w
                    + " image");
        }
        String shape = g.longs(name + ".image_shape", -1, c, h, w);
        return image(g.node("Reshape", name + ".image", java.util.List.of(name, shape)), c, h, w);
    }
}
