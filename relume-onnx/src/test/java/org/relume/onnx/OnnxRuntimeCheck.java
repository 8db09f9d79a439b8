package org.relume.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.relume.tensor.Tensor;

/** Runs an ONNX model in ONNX Runtime on sample-major rows and returns every output as [n, k]. */
final class OnnxRuntimeCheck {
    private OnnxRuntimeCheck() {}

    static Map<String, float[][]> run(byte[] model, Tensor samples) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] rows = new float[samples.rows()][samples.cols()];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(samples.data(), i * samples.cols(), rows[i], 0, samples.cols());
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options);
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            Map<String, float[][]> out = new LinkedHashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                out.put(e.getKey(), (float[][]) e.getValue().getValue());
            }
            return out;
        }
    }
}
