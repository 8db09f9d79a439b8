"""Load a Relume model directory into PyTorch.

A Relume model is a directory with model.json (layers, task, input standardization, feature and
class names; README "Model files") and model.safetensors (the parameters under PyTorch's names,
layers.<i>.weight as [out, in]; the safetensors format of Hugging Face, read here without the
safetensors package: an 8-byte little-endian header length, a JSON header, then the data).

    import relume_torch
    model = relume_torch.load("runs/iris")
    labels = model.predict(torch.tensor(rows, dtype=torch.float32))

load() returns a RelumeModel, an nn.Module in eval mode whose forward takes raw samples
[N, inputs] (the rows `relume predict` reads), applies the stored standardization and returns the
last layer's outputs (logits for classifiers). predict_proba() gives the class probabilities
`relume predict` prints (binary models: [1 - sigmoid(z), sigmoid(z)]) and predict() the class
names. Dense networks and convolutional chains (Conv2d, batch norm with its running statistics,
local and global pooling) are covered; structured networks (--structure, --arch) are refused.
"""

import json
import struct
from pathlib import Path

import torch
from torch import nn

__all__ = ["load", "RelumeModel"]


def _read_safetensors(path):
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {entry['dtype']}; Relume writes F32")
        begin, end = entry["data_offsets"]
        values = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32)
        tensors[name] = values.reshape(entry["shape"]) if entry["shape"] else values
    return tensors


def _activation(layer):
    name = layer.get("activation", "identity")
    params = layer.get("activation_params", {})
    if name == "relu":
        return nn.ReLU()  # grad_at_zero changes only training, not the function
    if name == "leaky_relu":
        return nn.LeakyReLU(params.get("negative_slope", 0.01))
    if name == "elu":
        return nn.ELU(params.get("alpha", 1.0))
    simple = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "softplus": nn.Softplus, "softsign": nn.Softsign,
              "swish": nn.SiLU, "identity": nn.Identity}
    if name not in simple:
        raise ValueError(f"unknown activation {name!r}")
    return simple[name]()


class _GlobalPool(nn.Module):
    """Per-channel average and/or maximum over the positions, average channels first (gap+gmp)."""

    def __init__(self, mode, channels):
        super().__init__()
        self.mode = mode
        self.channels = channels

    def forward(self, x):
        maps = x.reshape(x.shape[0], self.channels, -1)
        parts = []
        if self.mode in ("gap", "gap+gmp"):
            parts.append(maps.mean(dim=2))
        if self.mode in ("gmp", "gap+gmp"):
            parts.append(maps.amax(dim=2))
        return torch.cat(parts, dim=1)


def _layer(i, layer, tensors):
    """One Relume layer as a module that reads and writes flat [N, features] rows (NCHW order)."""
    kind = layer["type"]
    p = f"layers.{i}."
    if kind == "dense":
        linear = nn.Linear(layer["in"], layer["out"], bias=layer["bias"])
        with torch.no_grad():
            linear.weight.copy_(tensors[p + "weight"])
            if layer["bias"]:
                linear.bias.copy_(tensors[p + "bias"])
        return nn.Sequential(linear, _activation(layer))
    if kind == "conv2d":
        c, h, w, k = layer["in_channels"], layer["height"], layer["width"], layer["kernel"]
        conv = nn.Conv2d(c, layer["out_channels"], k, stride=layer["stride"], padding=layer["padding"],
                         bias=layer["bias"])
        modules = [nn.Unflatten(1, (c, h, w)), conv]
        with torch.no_grad():
            conv.weight.copy_(tensors[p + "weight"].reshape(conv.weight.shape))
            if layer["bias"]:
                conv.bias.copy_(tensors[p + "bias"])
            if layer.get("batch_norm"):
                bn = nn.BatchNorm2d(layer["out_channels"], eps=layer["bn_eps"], momentum=layer["bn_momentum"])
                bn.weight.copy_(tensors[p + "bn.weight"])
                bn.bias.copy_(tensors[p + "bn.bias"])
                bn.running_mean.copy_(tensors[p + "bn.running_mean"])
                bn.running_var.copy_(tensors[p + "bn.running_var"])
                modules.append(bn)
        return nn.Sequential(*modules, _activation(layer), nn.Flatten())
    if kind == "pool2d":
        c, h, w, k, s = layer["channels"], layer["height"], layer["width"], layer["kernel"], layer["stride"]
        pool = nn.MaxPool2d(k, s) if layer["mode"] == "max" else nn.AvgPool2d(k, s)
        return nn.Sequential(nn.Unflatten(1, (c, h, w)), pool, nn.Flatten())
    if kind == "global_pool":
        return _GlobalPool(layer["mode"], layer["channels"])
    raise ValueError(f"layer {i} is a {kind} layer, which relume_torch does not know")


class RelumeModel(nn.Module):
    """A Relume network with its input standardization, task and class names."""

    def __init__(self, layers, mean, std, task, class_names, feature_names):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.register_buffer("mean", mean)
        self.register_buffer("std", std)
        self.task = task
        self.class_names = class_names
        self.feature_names = feature_names

    def forward(self, x):
        if self.mean is not None:
            x = (x - self.mean) / self.std
        for layer in self.layers:
            x = layer(x)
        return x

    @torch.no_grad()
    def predict_proba(self, x):
        z = self(x)
        if self.task == "binary":
            one = torch.sigmoid(z[:, 0])
            return torch.stack([1 - one, one], dim=1)
        if self.task == "multiclass":
            return torch.softmax(z, dim=1)
        raise ValueError("a regression model has no class probabilities")

    @torch.no_grad()
    def predict(self, x):
        """Class names for classifiers (the class the training metric counts), outputs for regression."""
        if self.task == "regression":
            return self(x)
        z = self(x)
        index = (z[:, 0] > 0).long() if self.task == "binary" else z.argmax(dim=1)
        return [self.class_names[i] for i in index.tolist()]


def load(directory):
    """The model in a Relume model directory, in eval mode."""
    directory = Path(directory)
    meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    if meta.get("format") != "relume-model":
        raise ValueError(f"{directory}/model.json is not a Relume model")
    if "structure" in meta or "stages" in meta:
        raise ValueError(f"{directory}: structured networks ({meta.get('structure')}) are not covered by relume_torch;"
                         " export them with 'relume export --format onnx'")
    tensors = _read_safetensors(directory / "model.safetensors")
    layers = [_layer(i, layer, tensors) for i, layer in enumerate(meta["layers"])]
    norm = meta.get("input_standardization")
    mean = torch.tensor(norm["mean"], dtype=torch.float32) if norm else None
    std = torch.tensor(norm["std"], dtype=torch.float32) if norm else None
    classes = meta.get("classes", 0)
    names = meta.get("class_names") or [str(c) for c in range(classes)]
    model = RelumeModel(layers, mean, std, meta["task"], names, meta.get("feature_names", []))
    return model.eval()
