#!/usr/bin/env bash
# How well a short fine-tuning teaches a model two things it never saw (snow and bikes, each a family of words), on
# Flickr8k. The base model is trained on the training split without any image whose captions mention a family word (so
# its vocabulary lacks them); `train --from base` fine-tunes it on N held-out training images showing a family (half
# each, their five captions) plus 5N replayed base images (so the families are about as common as in the data); all are scored on the evaluation split's images: CIDEr-D on
# those showing a family (3 of 5 references mention it), the family-word F1, and CIDEr-D on the rest (what was
# forgotten), beside the same kind of model trained on the whole training split. Prints a table, then one JSON line.
#   ./scripts/bench-adapt.sh --images DIR --captions TSV --train-split F --eval-images DIR --eval-captions TSV
#     --eval-split F [--count N] [--base DIR] [--full DIR] [--work DIR]
# The base and full models are trained when not given (show-and-tell decoders, 6 epochs each: about 25 minutes
# each on 2 cores, the full one's features another 5) and kept in the work folder (default
# ~/.cache/captioner/bench-adapt, never in the repository), so a second run reuses them. Trainings run at low priority;
# the timed fine-tuning runs alone. The eval images' captions come from the same encoder and beam 3.
set -euo pipefail
cd "$(dirname "$0")/.."
count=300; base=""; full=""; work="${XDG_CACHE_HOME:-$HOME/.cache}/captioner/bench-adapt"
images=""; captions=""; train_split=""; eval_images=""; eval_captions=""; eval_split=""
while [ $# -gt 0 ]; do
  case "$1" in
    --images) images=$2; shift ;;
    --captions) captions=$2; shift ;;
    --train-split) train_split=$2; shift ;;
    --eval-images) eval_images=$2; shift ;;
    --eval-captions) eval_captions=$2; shift ;;
    --eval-split) eval_split=$2; shift ;;
    --count) count=$2; shift ;;
    --base) base=$2; shift ;;
    --full) full=$2; shift ;;
    --work) work=$2; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
for required in images captions train_split eval_images eval_captions eval_split; do
  if [ -z "${!required}" ]; then echo "error: --${required//_/-} is required" >&2; exit 2; fi
done
case "$count" in ''|*[!0-9]*) echo "error: --count must be a whole number" >&2; exit 2 ;; esac

dotnet build src/Captioner.Cli -c Release -v quiet -nologo >/dev/null
dotnet build tests/Captioner.Benchmarks -c Release -v quiet -nologo >/dev/null
mkdir -p "$work"
captioner() { dotnet src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll "$@"; }
bench() { dotnet tests/Captioner.Benchmarks/bin/Release/net10.0/linux-x64/Captioner.Benchmarks.dll "$@"; }

bench adapt split --captions "$captions" --train-split "$train_split" --count "$count" --replay $((5 * count)) --out "$work"
model=(--images "$images" --captions "$captions" --dev-split "$eval_split" --decoder show-and-tell --epochs 6 --patience 3 --self-critical-epochs 0 --work-dir "$work/cache")
if [ -z "$base" ]; then
  base="$work/base"
  [ -f "$base/manifest.json" ] || nice -n 10 captioner train "${model[@]}" --train-split "$work/base-train.txt" --out "$base" --version bench-base --dataset-name flickr8k-without-snow-and-bikes
fi
if [ -z "$full" ]; then
  full="$work/full"
  [ -f "$full/manifest.json" ] || nice -n 10 captioner train "${model[@]}" --train-split "$train_split" --out "$full" --version bench-full --dataset-name flickr8k
fi

# The fine-tuning, timed alone from nothing kept (its photos' features extracted, every epoch run): the fine-tuning
# defaults of `train --from`, its checkpoint picked on held-out training images.
adapted="$work/adapted-$count"
rm -rf "$adapted" "$work/tune-cache"
start=$(date +%s.%N)
captioner train --from "$base" --images "$images" --captions "$captions" --train-split "$work/tune-$count.txt" --dev-split "$work/tune-$count-dev.txt" \
  --work-dir "$work/tune-cache" --out "$adapted" --version "bench-adapted-$count" --dataset-name "flickr8k-snow-and-bikes-$count"
seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

# The base's and the full model's captions are kept beside them and made again only when the model is newer.
scored=()
for name in base adapted full; do
  folder=$base; [ $name = adapted ] && folder=$adapted; [ $name = full ] && folder=$full
  out="$work/captions-$name-$(printf %s "$(cd "$folder" && pwd):$eval_split" | md5sum | cut -c1-8).tsv"
  [ $name = adapted ] && out="$work/captions-adapted-$count.tsv"
  if [ ! "$out" -nt "$folder/manifest.json" ]; then
    captioner eval --model "$folder" --images "$eval_images" --captions "$eval_captions" --split "$eval_split" --beam 3 --write-captions "$out" >/dev/null
  fi
  scored+=("$name=$out")
done
bench adapt score --captions "$eval_captions" --eval-split "$eval_split" --count "$count" --fine-tune-seconds "$seconds" "${scored[@]}"
