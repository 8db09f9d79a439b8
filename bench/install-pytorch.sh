#!/usr/bin/env bash
# Installs the PyTorch side of `relume bench`: Debian's python3-torch (1.13) with the pthread
# build of OpenBLAS, so that PyTorch uses both cores. Needs root (or sudo) and Debian's archive.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q python3-torch libopenblas0-pthread
/usr/bin/python3 -c 'import torch; print("installed torch", torch.__version__, "threads", torch.get_num_threads())'
