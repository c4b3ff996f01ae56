#!/usr/bin/env bash
# Retrains the default model (models/default): an adaptive-attention decoder on the Flickr8k train split, cross-entropy
# epochs (checkpoint by dev CIDEr-D) then self-critical CIDEr-D epochs, exported to ONNX. About 100 minutes on
# 2 cores. Needs ../shared/data/flickr8k (or FLICKR8K=path). Interrupted, the same command resumes after the last
# finished epoch (checkpoints in ~/.cache/captioner or --work-dir).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FLICKR8K:-../shared/data/flickr8k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
captioner() { dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll "$@"; }
dotnet build src/Captioner.Cli -c Release -v quiet
common=(--images "$data/images" --captions "$data/captions.tsv" --train-split "$data/split_train.txt" --dev-split "$data/split_dev.txt" --dataset-name flickr8k)

captioner train "${common[@]}" --out "$work/attention" --version "flickr8k-adaptive-$(date -u +%Y%m%d)" \
  --decoder adaptive-attention --select-by cider --self-critical-epochs 12
rm -rf models/default
cp -r "$work/attention" models/default
evaluate() { captioner eval --images "$data/images" --captions "$data/captions.tsv" --split "$data/split_dev.txt" "$@"; }
evaluate
evaluate --beam 3
evaluate --beam 5
