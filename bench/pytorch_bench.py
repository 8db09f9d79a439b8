#!/usr/bin/env python3
"""The PyTorch peer of `relume bench`, eager mode: one Adam training step per call, timed step by
step (see peer_common.py for the workloads and the timing). The same script serves the pip wheel in
bench/.venv and Debian's python3-torch; which one ran is in the JSON it prints.
"""
import os
import sys

import peer_common as pc

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the caller reports the peer as missing and skips it
    print('{"error": "cannot import torch: %s"}' % str(e).replace('"', "'"))
    sys.exit(3)


def build(name):
    inputs, widths, outputs, _, _, image = pc.workload(name)
    layers = []
    if image is None:
        prev = inputs
        for w in widths:
            layers.append(torch.nn.Linear(prev, w))
            prev = w
    else:
        c, h, wd = image
        for w in widths:
            layers.append(torch.nn.Conv2d(c, w, pc.KERNEL, padding="same"))
            c = w
        prev = c * h * wd
    layers.append(torch.nn.Linear(prev, outputs))
    return torch.nn.ModuleList(layers)


def forward(name, layers, x, keep_preactivations):
    image = pc.workload(name)[5]
    preacts = []
    h = x if image is None else x.view(x.shape[0], *image)
    for i, layer in enumerate(layers):
        if i == len(layers) - 1:
            return layer(h.flatten(1)), preacts
        g = layer(h)
        if keep_preactivations:
            preacts.append(g)
        h = torch.relu(g)


def jumpstart_l1(preacts):
    """Sum of the unit and point deficits of the hidden (dense) layers: max/min over the batch, over the units."""
    total = 0.0
    for g in preacts:  # g: [batch, units]
        total = total + F.relu(1 - g.max(dim=0).values).sum() + F.relu(1 + g.min(dim=0).values).sum()
        total = total + F.relu(1 - g.max(dim=1).values).sum() + F.relu(1 + g.min(dim=1).values).sum()
    return pc.JUMPSTART_LAMBDA * total


def problem(name, layers, x, y):
    """The step closure: zero grads, forward, loss, backward, Adam; returns the loss tensor."""
    loss_kind = pc.workload(name)[4]
    opt = torch.optim.Adam(layers.parameters(), lr=pc.LR, betas=(pc.BETA1, pc.BETA2), eps=pc.EPS)
    keep = loss_kind == "bce+jumpstart"

    def step():
        opt.zero_grad(set_to_none=True)
        out, pre = forward(name, layers, x, keep)
        if loss_kind == "mse":
            loss = F.mse_loss(out, y)
        elif loss_kind == "ce":
            loss = F.cross_entropy(out, y)
        else:
            loss = F.binary_cross_entropy_with_logits(out, y) + jumpstart_l1(pre)
        loss.backward()
        opt.step()
        return loss

    return step


def targets(name, labels=None, values=None):
    inputs, _, outputs, batch, loss_kind, _ = pc.workload(name)
    if loss_kind == "ce":
        return torch.tensor(labels) if labels is not None else torch.randint(0, outputs, (batch,))
    if loss_kind == "bce+jumpstart":
        return (torch.tensor(labels, dtype=torch.float32).view(batch, outputs) if labels is not None
                else (torch.rand(batch, outputs) > 0.5).float())
    return torch.tensor(values).view(batch, outputs) if values is not None else torch.randn(batch, outputs)


def timed(name, steps, warmup_seconds, seed):
    inputs, _, _, batch, _, _ = pc.workload(name)
    torch.manual_seed(seed)
    layers = build(name)
    step = problem(name, layers, torch.randn(batch, inputs), targets(name))
    ms, warm = pc.median_ms(step, steps, warmup_seconds)
    return {"median_ms": ms, "steps": steps, "warmup": warm}


def checked(name, check):
    layers = build(name)
    with torch.no_grad():
        for p, given in zip(layers.parameters(), check["params"]):
            p.copy_(torch.tensor(given["values"]).view(p.shape))
    x = torch.tensor(check["x"]).view(check["batch"], -1)
    step = problem(name, layers, x, targets(name, check.get("labels"), check.get("targets")))
    return [float(step()) for _ in range(check["steps"])]


def details():
    blas = "unknown"
    try:
        for part in torch.__config__.show().replace("\n", ",").split(","):
            if "BLAS_INFO=" in part:
                # Debian builds BLAS_INFO=generic: the system libblas.so.3 (OpenBLAS when installed).
                blas = part.strip().split("=", 1)[1]
    except Exception:  # informational only
        pass
    return "eager, %d threads, BLAS %s, oneDNN %s" % (torch.get_num_threads(), blas,
                                                      torch.backends.mkldnn.is_available())


if __name__ == "__main__":
    torch.set_num_threads(os.cpu_count() or 1)
    pc.run_all("pytorch", torch.__version__, details(), timed, checked)
