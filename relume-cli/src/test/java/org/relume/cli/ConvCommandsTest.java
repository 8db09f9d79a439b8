package org.relume.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** relume train --conv end to end on tiny generated images: training, info, predict and bad flags. */
class ConvCommandsTest {
    @TempDir
    Path tmp;

    /** 4x4 images whose class is whether the top half is brighter than the bottom half. */
    private Path images(int n) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append("p").append(i).append(',');
        }
        sb.append("label\n");
        for (int s = 0; s < n; s++) {
            int label = s % 2;
            for (int i = 0; i < 16; i++) {
                boolean top = i < 8;
                double v = r.nextDouble() * 0.5 + (top == (label == 1) ? 0.5 : 0);
                sb.append(String.format(java.util.Locale.ROOT, "%.3f,", v));
            }
            sb.append(label).append('\n');
        }
        Path f = tmp.resolve("images.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void thinCnnTrainsSavesAndPredicts() throws IOException {
        Path data = images(200);
        Path out = tmp.resolve("cnn");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--epochs", "150",
                "--standardize", "off", "--jumpstart", "l1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("validation accuracy 1.0000") || r.out().contains("validation accuracy 0.9"), r.out());
        assertTrue(r.out().contains("units"), r.out());
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("conv2d 16 -> 48"), info.out());
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals(201, p.out().strip().split("\n").length);
    }

    @Test
    void globalPoolingHead() throws IOException {
        Path data = images(200);
        Path out = tmp.resolve("pooled");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--head", "gap+gmp",
                "--epochs", "150", "--standardize", "off", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("16-48-48-6-1"), r.out());
        assertTrue(r.out().contains("no dead layer"), "the pooling layer has no units to die: " + r.out());
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertTrue(info.out().contains("global_pool 48 -> 6"), info.out());
    }

    @Test
    void batchNormAndPooling() throws IOException {
        Path data = images(200);
        Path out = tmp.resolve("bn");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--batchnorm",
                "--pool", "max", "--epochs", "100", "--standardize", "off", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("16-48-12-12-3-1"), "2x2 pooling after each convolution: " + r.out());
        assertTrue(r.out().contains("validation accuracy 1.0000") || r.out().contains("validation accuracy 0.9"), r.out());
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("pool2d 48 -> 12"), info.out());
        assertTrue(info.out().contains("batch norm"), info.out());
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
        assertEquals(201, p.out().strip().split("\n").length);
    }

    @Test
    void residualNetsWithTheRecipe() throws IOException {
        Path data = images(200);
        Path out = tmp.resolve("hbnet");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--arch", "hbnet", "--n", "2", "--arch-width", "2",
                "--image", "1x4x4", "--recipe", "resnet-cifar", "--lr", "0.05", "--epochs", "40", "--standardize", "off",
                "--augment", "crop:pad=1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("residual structure"), r.out());
        assertTrue(r.out().contains("sgd(lr=0.05, momentum=0.9, nesterov=true, weight_decay=1.0E-4), batch 64, augmented crop:pad=1"),
                "the recipe fills what was not given: " + r.out());
        assertTrue(r.out().contains("validation accuracy 1.0000") || r.out().contains("validation accuracy 0.9"), r.out());
        CliRun info = CliRun.of("info", "--model", out.toString());
        assertEquals(0, info.exitCode(), info.toString());
        assertTrue(info.out().contains("residual"), info.out());
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
    }

    @Test
    void denseNetsTrainSaveAndPredict() throws IOException {
        Path data = images(200);
        for (String arch : new String[] {"densenet", "agdnet"}) {
            Path out = tmp.resolve(arch);
            CliRun r = CliRun.of("train", "--data", "csv:" + data, "--arch", arch, "--arch-depth", "7", "--growth-rate", "2",
                    "--arch-width", "3", "--image", "1x4x4", "--recipe", "resnet-cifar", "--lr", "0.05", "--epochs", "40",
                    "--standardize", "off", "--out", out.toString());
            assertEquals(0, r.exitCode(), r.toString());
            String structure = "densenet".equals(arch) ? "dense" : "agdnet";
            assertTrue(r.out().contains(structure + " structure"), r.out());
            assertTrue(r.out().contains("validation accuracy 1.0000") || r.out().contains("validation accuracy 0.9"), r.out());
            CliRun info = CliRun.of("info", "--model", out.toString());
            assertEquals(0, info.exitCode(), info.toString());
            assertTrue(info.out().contains(structure), info.out());
            CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
            assertEquals(0, p.exitCode(), p.toString());
            assertEquals(201, p.out().strip().split("\n").length);
        }
    }

    /** Per-channel standardization: one mean and std for all 16 pixels of the single channel, kept in the model. */
    @Test
    void perChannelStandardization() throws IOException {
        Path data = images(100);
        Path out = tmp.resolve("channels");
        CliRun r = CliRun.of("train", "--data", "csv:" + data, "--conv", "2x1", "--image", "1x4x4", "--standardize", "channels",
                "--epochs", "5", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        com.fasterxml.jackson.databind.JsonNode norm = org.relume.io.Json.MAPPER.readTree(
                Files.readString(out.resolve("model.json"))).get("input_standardization");
        assertEquals(16, norm.get("mean").size());
        for (int f = 1; f < 16; f++) {
            assertEquals(norm.get("mean").get(0).asDouble(), norm.get("mean").get(f).asDouble(), 0, "one channel, one mean");
            assertEquals(norm.get("std").get(0).asDouble(), norm.get("std").get(f).asDouble(), 0);
        }
        CliRun p = CliRun.of("predict", "--model", out.toString(), "--input", data.toString());
        assertEquals(0, p.exitCode(), p.toString());
        CliRun mlp = CliRun.of("train", "--data", "csv:" + data, "--standardize", "channels", "--epochs", "1");
        assertEquals(2, mlp.exitCode(), mlp.toString());
    }

    @Test
    void badConvFlagsGetOneLine() throws IOException {
        Path data = images(20);
        String[][] cases = {
            {"train", "--data", "csv:" + data, "--conv", "3", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x5x5", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--kernel", "2", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--structure", "hb", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--head", "avg", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--head", "gap", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--batchnorm", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "vgg", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "densenet", "--arch-depth", "41", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "densenet", "--n", "2", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "resnet", "--growth-rate", "4", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "agdnet", "--learnable-coefficients", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--growth-rate", "4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "resnet", "--conv", "3x2", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--n", "2", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "resnet", "--n", "0", "--image", "1x4x4", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "resnet", "--image", "1x2x8", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--recipe", "imagenet", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--arch", "hbnet", "--image", "1x4x4", "--activation", "tanh", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--pool", "max", "--pool-every", "3",
                "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--augment", "crop-flip", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--augment", "rotate", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--schedule", "multistep:5,3:0.1", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--pool", "min", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--pool", "max", "--pool-every", "0",
                "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x2", "--image", "1x4x4", "--pool-every", "2", "--epochs", "1"},
            {"train", "--data", "csv:" + data, "--conv", "3x3", "--image", "1x4x4", "--pool", "avg", "--epochs", "1"},
        };
        for (String[] args : cases) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r);
            assertEquals(1, r.err().strip().split("\n").length, r.toString());
        }
    }
}
