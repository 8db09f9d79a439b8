"""What every Python peer of `relume bench` shares: the workloads, the command line, the timing
loop and the JSON it prints. Each framework's script (pytorch_bench.py, jax_bench.py) supplies only
how to build and step a network, so the peers cannot drift apart in what they measure.

Workloads (input -> hidden layers -> output, batch, loss), the same as Relume's Workload enum:
  thin             2 -> 60 x 3 dense   -> 1,  85, MSE
  tiny             2 -> 50 x 25 dense  -> 1,  85, MSE
  moons-jumpstart  2 -> 30 x 3 dense   -> 1,  85, BCE on logits + jumpstart (l1, lambda 1e-4, hidden layers)
  medium           784 -> 4 x 512 dense -> 10, 256, softmax cross-entropy
  thin-cnn         1x28x28 -> 20 x conv3x3 'same' (4 channels) -> flatten -> 10, 128, softmax cross-entropy
  wide-cnn         1x28x28 -> 8 x conv3x3 'same' (16 channels) -> flatten -> 10, 128, softmax cross-entropy
  mlp-wW-dD        2 -> D x W dense    -> 1,  85, MSE (any width W and depth D: `relume bench --scaling`)
All float32, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), ReLU after every hidden layer.
"""
import argparse
import json
import re
import statistics
import sys
import time

# name -> (inputs, hidden widths, outputs, batch, loss, image (C, H, W) or None for dense layers)
WORKLOADS = {
    "thin": (2, [3] * 60, 1, 85, "mse", None),
    "tiny": (2, [25] * 50, 1, 85, "mse", None),
    "moons-jumpstart": (2, [3] * 30, 1, 85, "bce+jumpstart", None),
    "medium": (784, [512] * 4, 10, 256, "ce", None),
    "thin-cnn": (784, [4] * 20, 10, 128, "ce", (1, 28, 28)),
    "wide-cnn": (784, [16] * 8, 10, 128, "ce", (1, 28, 28)),
}
KERNEL = 3
MLP_NAME = re.compile(r"mlp-w([1-9][0-9]*)-d([1-9][0-9]*)")
LR, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8
JUMPSTART_LAMBDA = 1e-4


def workload(name):
    """The shape tuple of a named workload or of an mlp-wWIDTH-dDEPTH (the thin workloads' inputs,
    output, batch and loss); None for an unknown name."""
    if name in WORKLOADS:
        return WORKLOADS[name]
    m = MLP_NAME.fullmatch(name)
    if m is None:
        return None
    return (2, [int(m.group(1))] * int(m.group(2)), 1, 85, "mse", None)


def parse_args(doc):
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workloads", default=",".join(n + ":50" for n in WORKLOADS),
                   help="NAME:STEPS,... timed steps per workload")
    p.add_argument("--warmup-seconds", type=float, default=2.0,
                   help="untimed warm-up of at least this long (and at least a fifth of the steps)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", metavar="DIR",
                   help="also run CHECK_STEPS steps from DIR/check-NAME.json (Relume's initial weights and "
                        "data) and report the losses, to compare with Relume's")
    args = p.parse_args()
    plan = []
    for item in args.workloads.split(","):
        name, _, steps = item.partition(":")
        if workload(name) is None:
            p.error("unknown workload %r; known: %s, mlp-wWIDTH-dDEPTH" % (name, ", ".join(WORKLOADS)))
        plan.append((name, int(steps) if steps else 50))
    args.plan = plan
    return args


def median_ms(step, steps, warmup_seconds, sync=lambda r: r):
    """Median wall milliseconds of step() after an untimed warm-up; sync waits for asynchronous results."""
    start = time.perf_counter()
    done = 0
    while done < max(3, steps // 5) or time.perf_counter() - start < warmup_seconds:
        sync(step())
        done += 1
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        sync(step())
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), done


def load_check(directory, name):
    """Relume's initial parameters (PyTorch's shapes), data and step count for one workload, or None."""
    if directory is None:
        return None
    try:
        with open("%s/check-%s.json" % (directory, name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def run_all(peer, version, details, timed, checked):
    """timed(name, steps, warmup_seconds, seed) -> dict with median_ms (and extras);
    checked(name, check) -> list of losses. Prints the peer's JSON."""
    args = parse_args(__doc__)
    result = {"peer": peer, "version": version, "details": details,
              "python": sys.version.split()[0], "workloads": {}}
    for name, steps in args.plan:
        r = timed(name, steps, args.warmup_seconds, args.seed)
        check = load_check(args.check, name)
        if check is not None:
            r["check_losses"] = checked(name, check)
        result["workloads"][name] = r
    print(json.dumps(result))
