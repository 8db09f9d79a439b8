#!/usr/bin/env bash
# Installs the Python peers of `relume bench` into bench/.venv: the current PyTorch CPU wheel
# (MKL, oneDNN) and JAX (XLA). A virtual environment keeps them apart from the system Python,
# where Debian's PyTorch 1.13 (bench/install-pytorch.sh) stays as a third peer. No root needed.
# `relume bench` finds bench/.venv by itself; RELUME_BENCH_VENV points it elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${RELUME_BENCH_VENV:-$here/.venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install -q)

# The default index's torch wheel carries CUDA libraries (gigabytes) that a CPU benchmark never
# uses, so the CPU wheel comes first; the default index is the fallback.
if ! "${pip[@]}" torch --index-url https://download.pytorch.org/whl/cpu; then
  echo "install-peers: the PyTorch CPU index failed; trying the default index" >&2
  "${pip[@]}" torch
fi
"${pip[@]}" jax

"$venv/bin/python" - <<'PY'
import torch, jax
print("installed torch", torch.__version__, "threads", torch.get_num_threads())
print("installed jax", jax.__version__, "devices", jax.devices())
PY
