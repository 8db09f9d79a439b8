package org.relume.tensor;

/**
 * The shapes of a 2-D convolution: input channels x height x width, output channels, a square
 * kernel, stride, and zero padding before the first row and column (after the last, whatever the
 * output size needs). Output size per axis: (in + 2 pad - kernel) / stride + 1, floor, with
 * {@code same} padding = (kernel - 1) / 2 at stride 1 (PyTorch's and Keras's convention for odd
 * kernels).
 */
public record ConvGeometry(int inChannels, int height, int width, int outChannels, int kernel, int stride,
                           int padding) {

    public ConvGeometry {
        if (inChannels <= 0 || height <= 0 || width <= 0 || outChannels <= 0) {
            throw new ShapeException("convolution: channels and image size must be positive, got " + inChannels
                    + "x" + height + "x" + width + " -> " + outChannels + " channels");
        }
        if (kernel <= 0 || stride <= 0 || padding < 0) {
            throw new ShapeException("convolution: kernel " + kernel + ", stride " + stride + ", padding " + padding
                    + " (kernel and stride must be positive, padding >= 0)");
        }
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new ShapeException("convolution: a " + kernel + "x" + kernel + " kernel does not fit a " + height + "x"
                    + width + " image with padding " + padding);
        }
    }

    /** Padding for {@code same} (odd kernels, stride 1: output size = input size), or 0 for {@code valid}. */
    public static int padding(String mode, int kernel) {
        return switch (mode) {
            case "same" -> {
                if (kernel % 2 == 0) {
                    throw new ShapeException("'same' padding needs an odd kernel, got " + kernel);
                }
                yield (kernel - 1) / 2;
            }
            case "valid" -> 0;
            default -> {
                try {
                    int p = Integer.parseInt(mode);
                    if (p < 0) {
                        throw new NumberFormatException();
                    }
                    yield p;
                } catch (NumberFormatException e) {
                    throw new ShapeException("padding must be same, valid or a number >= 0, got '" + mode + "'");
                }
            }
        };
    }

    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /** Features per sample of the input, C x H x W. */
    public int inSize() {
        return inChannels * height * width;
    }

    /** Features per sample of the output. */
    public int outSize() {
        return outChannels * outHeight() * outWidth();
    }

    /** Columns of the weight matrix [outChannels, inChannels * kernel * kernel]. */
    public int taps() {
        return inChannels * kernel * kernel;
    }
}
