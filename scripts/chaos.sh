#!/usr/bin/env bash
# The fault-injection run: starts Azurite, a fault-injecting proxy in front of it and N local hosts behind the
# proxy (instances of one app sharing its storage; every storage request they make goes through it: handlers,
# trigger engine, Durable Task), uploads COUNT photos, starts a bulk job over them, SIGKILLs a host K times at
# random moments (each kill on the next host in turn) and restarts it, runs a small durable training job under the
# same faults, then audits storage directly. Stops everything it started.
#   ./scripts/chaos.sh IMAGES_DIR COUNT [--fault-rate R] [--kills K] [--hosts N] [--seed S] [--no-training]
#                      [--deadline MINUTES] [--spare-dequeues] [--no-build]
# Each storage request fails with probability R (default 0.2): 503 ServerBusy, 500, a connection reset before or
# after storage carried it out, or a hold past the client's timeout. A dequeue whose answer is lost hides its
# messages for the trigger engine's 10-minute lease (the default --deadline, 15 minutes, allows for it);
# --spare-dequeues gives dequeues only the faults that never reach storage, for a run bounded in minutes (the
# test command's). Last line: one JSON object
# (images, results, lost, duplicates, changed, faultsInjected, kills, seconds, ...). Exit 0 only when nothing was
# lost, duplicated or changed, every image has its result, the bulk job's counts are exact and training finished.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: $0 IMAGES_DIR COUNT [--fault-rate R] [--kills K] [--hosts N] [--seed S] [--no-training] [--deadline MINUTES] [--spare-dequeues] [--no-build]" >&2
  exit 2
fi
images=$1; count=$2; shift 2
[ -d "$images" ] || { echo "error: $images is not a folder" >&2; exit 2; }
build=1; rest=()
for argument in "$@"; do
  if [ "$argument" = "--no-build" ]; then build=0; else rest+=("$argument"); fi
done

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
if [ $build = 1 ]; then
  dotnet build tests/Captioner.Chaos -c Release -v quiet -nologo
fi

exec dotnet tests/Captioner.Chaos/bin/Release/net10.0/linux-x64/Captioner.Chaos.dll "$images" "$count" "${rest[@]}"
