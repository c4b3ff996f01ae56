#!/usr/bin/env bash
# Retrains the default model (models/default): an ensemble of an adaptive-attention and a soft-attention decoder, each
# trained on the Flickr8k train split with cross-entropy epochs (checkpoint by dev CIDEr-D) then self-critical CIDEr-D
# epochs, exported to ONNX, then joined (mean of their next-word probabilities, weights stored as float16, the LSTM
# gates int8). About 100 minutes per decoder on 2 cores. Needs ../shared/data/flickr8k (or FLICKR8K=path). Interrupted, the same command
# resumes after each decoder's last finished epoch (checkpoints in ~/.cache/captioner or --work-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FLICKR8K:-../shared/data/flickr8k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
captioner() { dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll "$@"; }
dotnet build src/Captioner.Cli -c Release -v quiet
common=(--images "$data/images" --captions "$data/captions.tsv" --train-split "$data/split_train.txt" --dev-split "$data/split_dev.txt" --dataset-name flickr8k --select-by cider --self-critical-epochs 12)
day=$(date -u +%Y%m%d)

captioner train "${common[@]}" --decoder adaptive-attention --out "$work/adaptive" --version "flickr8k-adaptive-$day"
captioner train "${common[@]}" --decoder soft-attention --out "$work/soft" --version "flickr8k-attention-$day"
rm -rf models/default
# The members share the familiarity their training fit; the ensemble's own confidence is calibrated on dev.
captioner ensemble "$work/adaptive" "$work/soft" --out models/default --version "flickr8k-attention-ensemble-$day" --int8-gates \
  --dev-images "$data/images" --dev-captions "$data/captions.tsv" --dev-split "$data/split_dev.txt"
evaluate() { captioner eval --images "$data/images" --captions "$data/captions.tsv" --split "$data/split_dev.txt" "$@"; }
evaluate
evaluate --beam 3
evaluate --beam 5
