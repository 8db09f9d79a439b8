package org.relume.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.relume.onnx.proto.Onnx.AttributeProto;
import org.relume.onnx.proto.Onnx.GraphProto;
import org.relume.onnx.proto.Onnx.NodeProto;
import org.relume.onnx.proto.Onnx.TensorProto;
import org.relume.onnx.proto.Onnx.TensorShapeProto;
import org.relume.onnx.proto.Onnx.TypeProto;
import org.relume.onnx.proto.Onnx.ValueInfoProto;

/**
 * An ONNX graph under construction (ONNX IR, GraphProto): nodes appended in topological order,
 * each producing one fresh value name, and constant tensors stored as initializers. Float tensors
 * go into {@code raw_data} as little-endian IEEE 754 floats, which the IR allows for every numeric
 * type and which keeps a file about as small as the safetensors file it came from.
 */
final class OnnxGraph {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private int counter;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A value name not used before, from a readable stem ({@code layers.0.gemm}). */
    String fresh(String stem) {
        String name = stem;
        while (!names.add(name)) {
            name = stem + "_" + (++counter);
        }
        return name;
    }

    /** A float initializer of the given shape; returns its (unique) name. */
    String floats(String stem, float[] values, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("initializer " + stem + ": " + values.length + " values for " + n + " elements");
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String name = fresh(stem);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(boxed(dims)).setRawData(ByteString.copyFrom(bytes.array())));
        return name;
    }

    /** An int64 initializer, for shapes (Reshape's second input). */
    String longs(String stem, long... values) {
        String name = fresh(stem);
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length).addAllInt64Data(boxed(values)));
        return name;
    }

    /** Appends a node of the default (ai.onnx) domain; returns the name of its one output. */
    String node(String opType, String outputStem, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(outputStem);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(out).addAllInput(inputs).addOutput(out);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    /** Declares a graph input: a float tensor [N, features...] with a free batch dimension N. */
    void input(String name, long... dims) {
        names.add(name);
        graph.addInput(floatValue(name, dims));
    }

    /** Declares {@code value} a graph output named {@code name} (through an Identity node). */
    void output(String name, String value, long... dims) {
        if (!names.add(name)) {
            throw new IllegalStateException("value name " + name + " is taken");
        }
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName(name).addInput(value).addOutput(name));
        graph.addOutput(floatValue(name, dims));
    }

    GraphProto build() {
        return graph.build();
    }

    static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attribute(String name, long[] values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(boxed(values)).build();
    }

    /** Dimensions of -1 become the symbolic batch dimension {@code N}. */
    private static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static List<Long> boxed(long[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
