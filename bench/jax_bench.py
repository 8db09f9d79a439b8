#!/usr/bin/env python3
"""The JAX peer of `relume bench`: the whole training step (forward, loss, gradient, Adam update)
is one function under jax.jit, as a JAX user would write it. Compiling it is timed apart
(compile_ms) and kept out of the step time. Adam is written out here (the same update as PyTorch's
and Relume's) so that the peer needs nothing beyond jax itself. See peer_common.py for the
workloads and the timing.
"""
import sys
import time

import peer_common as pc

try:
    import jax
    import jax.numpy as jnp
    import numpy as np
except ImportError as e:  # the caller reports the peer as missing and skips it
    print('{"error": "cannot import jax: %s"}' % str(e).replace('"', "'"))
    sys.exit(3)


def shapes(name):
    """(weight shape, bias shape) per layer, PyTorch's layout: dense [out, in], conv [out, in, k, k]."""
    inputs, widths, outputs, _, _, image = pc.workload(name)
    out = []
    if image is None:
        prev = inputs
        for w in widths:
            out.append(((w, prev), (w,)))
            prev = w
    else:
        c, h, wd = image
        for w in widths:
            out.append(((w, c, pc.KERNEL, pc.KERNEL), (w,)))
            c = w
        prev = c * h * wd
    out.append(((outputs, prev), (outputs,)))
    return out


def init(name, key):
    """PyTorch's default initialization: weight and bias uniform in +-1/sqrt(fan_in)."""
    params = []
    for wshape, bshape in shapes(name):
        bound = 1.0 / float(np.sqrt(np.prod(wshape[1:])))
        key, kw, kb = jax.random.split(key, 3)
        params.append((jax.random.uniform(kw, wshape, jnp.float32, -bound, bound),
                       jax.random.uniform(kb, bshape, jnp.float32, -bound, bound)))
    return params


def forward(name, params, x):
    image = pc.workload(name)[5]
    preacts = []
    h = x if image is None else x.reshape((x.shape[0],) + image)
    for i, (w, b) in enumerate(params):
        if i == len(params) - 1:
            return h.reshape(h.shape[0], -1) @ w.T + b, preacts
        if image is None:
            g = h @ w.T + b
        else:
            g = jax.lax.conv_general_dilated(h, w, (1, 1), "SAME",
                                             dimension_numbers=("NCHW", "OIHW", "NCHW")) + b[None, :, None, None]
        preacts.append(g)
        h = jax.nn.relu(g)


def loss_fn(name, params, x, y):
    loss_kind = pc.workload(name)[4]
    out, pre = forward(name, params, x)
    if loss_kind == "mse":
        return jnp.mean((out - y) ** 2)
    if loss_kind == "ce":
        logp = jax.nn.log_softmax(out, axis=1)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))
    bce = jnp.mean(jnp.maximum(out, 0) - out * y + jnp.log1p(jnp.exp(-jnp.abs(out))))
    penalty = 0.0
    for g in pre:  # g: [batch, units]; unit deficits over the batch, point deficits over the units
        penalty = penalty + jnp.sum(jax.nn.relu(1 - g.max(axis=0))) + jnp.sum(jax.nn.relu(1 + g.min(axis=0)))
        penalty = penalty + jnp.sum(jax.nn.relu(1 - g.max(axis=1))) + jnp.sum(jax.nn.relu(1 + g.min(axis=1)))
    return bce + pc.JUMPSTART_LAMBDA * penalty


def make_step(name):
    def step(params, m, v, t, x, y):
        loss, grads = jax.value_and_grad(lambda p: loss_fn(name, p, x, y))(params)
        t = t + 1
        m = jax.tree_util.tree_map(lambda a, g: pc.BETA1 * a + (1 - pc.BETA1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda a, g: pc.BETA2 * a + (1 - pc.BETA2) * g * g, v, grads)
        c1 = 1 - pc.BETA1 ** t
        c2 = 1 - pc.BETA2 ** t
        params = jax.tree_util.tree_map(
            lambda p, a, b: p - pc.LR * (a / c1) / (jnp.sqrt(b / c2) + pc.EPS), params, m, v)
        return params, m, v, t, loss

    # Donating the state lets XLA update weights and moments in place, as PyTorch and Relume do.
    return jax.jit(step, donate_argnums=(0, 1, 2))


class Problem:
    """Training state threaded through the jitted step; compile() must run before step()."""

    def __init__(self, name, params, x, y):
        self.state = (params, jax.tree_util.tree_map(jnp.zeros_like, params),
                      jax.tree_util.tree_map(jnp.zeros_like, params), jnp.float32(0))
        self.x, self.y = x, y
        self.fn = make_step(name)
        self.compile_ms = 0.0

    def compile(self):
        t0 = time.perf_counter()
        self.fn = self.fn.lower(*self.state, self.x, self.y).compile()
        self.compile_ms = (time.perf_counter() - t0) * 1e3

    def step(self):
        params, m, v, t, loss = self.fn(*self.state, self.x, self.y)
        self.state = (params, m, v, t)
        return loss


def data(name, key):
    inputs, _, outputs, batch, loss_kind, _ = pc.workload(name)
    kx, ky = jax.random.split(key)
    x = jax.random.normal(kx, (batch, inputs), jnp.float32)
    if loss_kind == "ce":
        return x, jax.random.randint(ky, (batch,), 0, outputs)
    if loss_kind == "bce+jumpstart":
        return x, (jax.random.uniform(ky, (batch, outputs)) > 0.5).astype(jnp.float32)
    return x, jax.random.normal(ky, (batch, outputs), jnp.float32)


def timed(name, steps, warmup_seconds, seed):
    kp, kd = jax.random.split(jax.random.PRNGKey(seed))
    prob = Problem(name, init(name, kp), *data(name, kd))
    prob.compile()
    ms, warm = pc.median_ms(prob.step, steps, warmup_seconds, sync=jax.block_until_ready)
    return {"median_ms": ms, "steps": steps, "warmup": warm, "compile_ms": prob.compile_ms}


def checked(name, check):
    _, _, outputs, batch, loss_kind, _ = pc.workload(name)
    params = []
    flat = iter(check["params"])
    for wshape, bshape in shapes(name):
        w, b = next(flat), next(flat)
        params.append((jnp.asarray(w["values"], jnp.float32).reshape(wshape),
                       jnp.asarray(b["values"], jnp.float32).reshape(bshape)))
    x = jnp.asarray(check["x"], jnp.float32).reshape(batch, -1)
    if loss_kind == "ce":
        y = jnp.asarray(check["labels"], jnp.int32)
    elif loss_kind == "bce+jumpstart":
        y = jnp.asarray(check["labels"], jnp.float32).reshape(batch, outputs)
    else:
        y = jnp.asarray(check["targets"], jnp.float32).reshape(batch, outputs)
    prob = Problem(name, params, x, y)
    prob.compile()
    return [float(prob.step()) for _ in range(check["steps"])]


if __name__ == "__main__":
    pc.run_all("jax", jax.__version__, "whole step under jax.jit, XLA on %s" % jax.devices()[0].platform,
               timed, checked)
