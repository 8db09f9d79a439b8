#!/usr/bin/env bash
# Fetches Fashion-MNIST (Xiao et al. 2017; gzipped idx files) from Debian's package
# dataset-fashion-mnist, the copy reachable on machines whose only network is the package archives.
#
# Usage: data/fetch-fashion-mnist.sh [DIR]
#   DIR defaults to data/fashion-mnist next to this script. Afterwards DIR holds
#     train-images-idx3-ubyte.gz   60000 images 28x28    train-labels-idx1-ubyte.gz
#     t10k-images-idx3-ubyte.gz    10000 images 28x28    t10k-labels-idx1-ubyte.gz
#   which `./relume train --data idx:DIR` reads (gzip is detected; t10k is the validation set) and
#   `./relume reproduce hbnet-agdnet --quick` uses by default.
#
# Needs apt-get (Debian's archive in its sources) and dpkg-deb; no root: `apt-get download` only
# fetches the .deb. Idempotent: when the four files are present and decompress to the expected
# SHA-256 digests it downloads nothing. The files are checked in a temporary folder and only then
# moved into DIR, so a failed run never leaves partial files behind.
set -euo pipefail

PACKAGE="dataset-fashion-mnist"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
# Digests of the decompressed idx files: the dataset's content, whatever the gzip settings.
SHA256=(c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
        bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
        5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
        0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/fashion-mnist}"

die() {
  echo "fetch-fashion-mnist: $*" >&2
  exit 1
}

# Prints the first problem with the four files in $1, or nothing when all are right.
check_dir() {
  local i path sum
  for i in "${!FILES[@]}"; do
    path="$1/${FILES[$i]}"
    if [ ! -f "$path" ]; then
      echo "$path is missing"
      return
    fi
    sum="$(gzip -dc "$path" 2> /dev/null | sha256sum | cut -d' ' -f1)"
    if [ "$sum" != "${SHA256[$i]}" ]; then
      echo "$path decompresses to SHA-256 $sum, expected ${SHA256[$i]}"
      return
    fi
  done
}

if [ -z "$(check_dir "$dest")" ]; then
  echo "fetch-fashion-mnist: $dest already holds the four files with the expected content; nothing to do"
  exit 0
fi

command -v apt-get > /dev/null || die "apt-get is not on the PATH; copy the four files into $dest by hand"
command -v dpkg-deb > /dev/null || die "dpkg-deb is not on the PATH"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fetch-fashion-mnist.XXXXXX")"
cleanup() {
  rm -rf "$tmp"
  local f
  for f in "${FILES[@]}"; do
    rm -f "$dest/.$f.part"
  done
}
trap cleanup EXIT

echo "fetch-fashion-mnist: apt-get download $PACKAGE (about 31 MB) into $tmp"
(cd "$tmp" && apt-get download -qq "$PACKAGE" > /dev/null 2>&1) \
  || die "apt-get download $PACKAGE failed (is Debian's archive in the apt sources and reachable? try apt-get update)"
deb="$(ls "$tmp"/*.deb 2> /dev/null | head -n 1)"
[ -n "$deb" ] || die "apt-get download left no .deb in $tmp"
dpkg-deb -x "$deb" "$tmp/x" || die "dpkg-deb could not unpack $deb"
src="$tmp/x/usr/share/datasets/fashion-mnist"

problem="$(check_dir "$src")"
[ -z "$problem" ] || die "unexpected content in $PACKAGE: $problem"

mkdir -p "$dest"
for f in "${FILES[@]}"; do
  # Same file system as the destination, then rename: a reader never sees half a file.
  cp "$src/$f" "$dest/.$f.part"
  mv -f "$dest/.$f.part" "$dest/$f"
done

problem="$(check_dir "$dest")"
[ -z "$problem" ] || die "after copying: $problem"
echo "fetch-fashion-mnist: wrote ${FILES[*]} to $dest"
