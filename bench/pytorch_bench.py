#!/usr/bin/env python3
"""The PyTorch side of `relume bench`.

Runs the same workloads as Relume's side (same shapes, float32, Adam, same losses) and prints one
JSON object: for each workload the median milliseconds per training step, timed step by step with
time.perf_counter() after a warm-up that is not counted.

Workloads (input -> hidden layers -> output, batch, loss):
  thin             2 -> 60 x 3   -> 1,  85, MSE
  tiny             2 -> 50 x 25  -> 1,  85, MSE
  moons-jumpstart  2 -> 30 x 3   -> 1,  85, BCE on logits + jumpstart (l1, lambda 1e-4, hidden layers)
  medium           784 -> 4 x 512 -> 10, 256, softmax cross-entropy
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # the caller reports "PyTorch absent" and skips this side
    print(json.dumps({"error": "cannot import torch: %s" % e}))
    sys.exit(3)

WORKLOADS = {
    "thin": (2, [3] * 60, 1, 85, "mse"),
    "tiny": (2, [25] * 50, 1, 85, "mse"),
    "moons-jumpstart": (2, [3] * 30, 1, 85, "bce+jumpstart"),
    "medium": (784, [512] * 4, 10, 256, "ce"),
}


def build(inputs, widths, outputs):
    layers = []
    prev = inputs
    for w in widths:
        layers.append(torch.nn.Linear(prev, w))
        prev = w
    layers.append(torch.nn.Linear(prev, outputs))
    return torch.nn.ModuleList(layers)


def forward(layers, x, keep_preactivations):
    preacts = []
    h = x
    for i, layer in enumerate(layers):
        g = layer(h)
        if i < len(layers) - 1:
            if keep_preactivations:
                preacts.append(g)
            h = torch.relu(g)
        else:
            h = g
    return h, preacts


def jumpstart_l1(preacts, lam):
    """Sum of all unit and point deficits of the hidden layers (max/min over the batch / the units)."""
    total = 0.0
    for g in preacts:  # g: [batch, units]
        total = total + F.relu(1 - g.max(dim=0).values).sum() + F.relu(1 + g.min(dim=0).values).sum()
        total = total + F.relu(1 - g.max(dim=1).values).sum() + F.relu(1 + g.min(dim=1).values).sum()
    return lam * total


def run(name, warmup, warmup_seconds, steps, seed):
    inputs, widths, outputs, batch, loss_kind = WORKLOADS[name]
    torch.manual_seed(seed)
    layers = build(inputs, widths, outputs)
    opt = torch.optim.Adam(layers.parameters(), lr=1e-3)
    x = torch.randn(batch, inputs)
    if loss_kind == "ce":
        y = torch.randint(0, outputs, (batch,))
    elif loss_kind == "bce+jumpstart":
        y = (torch.rand(batch, outputs) > 0.5).float()
    else:
        y = torch.randn(batch, outputs)
    keep = loss_kind == "bce+jumpstart"

    def step():
        opt.zero_grad(set_to_none=True)
        out, pre = forward(layers, x, keep)
        if loss_kind == "mse":
            loss = F.mse_loss(out, y)
        elif loss_kind == "ce":
            loss = F.cross_entropy(out, y)
        else:
            loss = F.binary_cross_entropy_with_logits(out, y) + jumpstart_l1(pre, 1e-4)
        loss.backward()
        opt.step()

    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < warmup_seconds:
        step()
        done += 1
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": statistics.median(times), "steps": steps, "warmup": done}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workloads", default=",".join(WORKLOADS))
    p.add_argument("--steps", type=int, default=200, help="timed steps per workload (medium uses a fifth)")
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--warmup-seconds", type=float, default=2.0, help="warm up for at least this long too")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(),
              "blas": "unknown", "python": sys.version.split()[0], "workloads": {}}
    try:
        cfg = torch.__config__.show()
        for part in cfg.replace("\n", ",").split(","):
            if "BLAS_INFO=" in part:
                # Debian builds BLAS_INFO=generic: the system libblas.so.3 (OpenBLAS when installed).
                result["blas"] = part.strip().split("=", 1)[1]
    except Exception:  # informational only
        pass
    for name in args.workloads.split(","):
        steps = max(10, args.steps // 10) if name == "medium" else args.steps
        warmup = max(3, args.warmup // 5) if name == "medium" else args.warmup
        result["workloads"][name] = run(name, warmup, args.warmup_seconds, steps, args.seed)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
