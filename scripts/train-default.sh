#!/usr/bin/env bash
# Retrains the default model (models/default): two decoders on the Flickr8k train split, joined into one
# ensemble model. About 35 minutes on 2 cores. Needs ../shared/data/flickr8k (or FLICKR8K=path).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${FLICKR8K:-../shared/data/flickr8k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
captioner() { dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll "$@"; }
dotnet build src/Captioner.Cli -c Release -v quiet
common=(--images "$data/images" --captions "$data/captions.tsv" --train-split "$data/split_train.txt" --dev-split "$data/split_dev.txt" --dataset-name flickr8k)

# Member 1: plain cross-entropy, checkpoint by dev loss. Member 2: label smoothing 0.1, checkpoint by dev CIDEr-D.
captioner train "${common[@]}" --out "$work/plain" --version flickr8k-plain
captioner train "${common[@]}" --out "$work/smoothed" --version flickr8k-smoothed --label-smoothing 0.1 --select-by cider
rm -rf models/default
captioner ensemble "$work/plain" "$work/smoothed" --out models/default --version "flickr8k-ensemble-$(date -u +%Y%m%d)"
captioner eval --images "$data/images" --captions "$data/captions.tsv" --split "$data/split_dev.txt" --beam 3
