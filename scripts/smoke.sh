#!/usr/bin/env bash
# After `azd up` (or against ./scripts/start.sh's local stack): uploads a photo with the CLI and waits for its caption,
# opens the page with the function key, starts and cancels a tiny training job, and reads health and metrics.
# One line per check (PASS/FAIL/SKIP); exit code 1 when any check failed.
#   ./scripts/smoke.sh [--api URL] [--key KEY] [--training-api URL] [--training-key KEY]
#                      [--account NAME | --connection STRING] [--photo FILE]
# Without arguments the addresses and account come from the azd environment (azd env get-values: CAPTIONER_URL,
# TRAINER_URL, STORAGE_ACCOUNT_NAME); keys from CAPTIONER_KEY and TRAINER_KEY (function keys of the two apps).
set -uo pipefail
cd "$(dirname "$0")/.."

api="" key="${CAPTIONER_KEY:-}" training_api="" training_key="${TRAINER_KEY:-}" account="" connection="" photo=""
while [ $# -gt 0 ]; do
  case "$1" in
    --api) api=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --training-api) training_api=$2; shift 2 ;;
    --training-key) training_key=$2; shift 2 ;;
    --account) account=$2; shift 2 ;;
    --connection) connection=$2; shift 2 ;;
    --photo) photo=$2; shift 2 ;;
    *) echo "smoke: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -z "$api" ] && command -v azd >/dev/null 2>&1; then
  values=$(azd env get-values 2>/dev/null || true)
  value() { printf '%s\n' "$values" | sed -n "s/^$1=\"\{0,1\}\([^\"]*\)\"\{0,1\}$/\1/p" | head -n 1; }
  api=$(value CAPTIONER_URL); training_api=${training_api:-$(value TRAINER_URL)}
  [ -z "$connection" ] && account=${account:-$(value STORAGE_ACCOUNT_NAME)}
fi
if [ -z "$api" ]; then echo "smoke: no --api and no azd environment" >&2; exit 2; fi
api=${api%/}; training_api=${training_api:-$api}; training_api=${training_api%/}; training_key=${training_key:-$key}
if [ -z "$photo" ]; then photo=$(ls ../shared/data/samples/*.jpg ../shared/data/samples/*.png 2>/dev/null | head -n 1); fi

cli=src/Captioner.Cli/bin/Release/net10.0/linux-x64/captioner.dll
[ -f "$cli" ] || dotnet build src/Captioner.Cli -c Release -v quiet -nologo >/dev/null
failed=0
pass() { echo "PASS $1: $2"; }
fail() { echo "FAIL $1: $2"; failed=1; }
# call NAME METHOD URL KEY [curl options...]: the status in $status, the body in $body.
call() {
  local url=$2 method=$1 with_key=$3; shift 3
  body=$(curl -sS -m 30 -X "$method" ${with_key:+-H "x-functions-key: $with_key"} -w '\n%{http_code} %{content_type}' "$@" "$url" 2>&1) || true
  status=${body##*$'\n'}; body=${body%$'\n'*}
}

# 1. Upload a photo with the CLI and wait for its caption.
if [ -z "$photo" ] || [ ! -f "$photo" ]; then
  fail caption "no photo to upload (--photo FILE)"
else
  storage=(); [ -n "$connection" ] && storage=(--connection "$connection"); [ -n "$account" ] && storage=(--account "$account")
  out=$(timeout 300 dotnet "$cli" submit "$photo" --prefix "smoke-$(date +%s)" --wait "${storage[@]}" 2>&1)
  code=$?
  caption=$(printf '%s\n' "$out" | awk -F '\t' 'NF >= 2 && $2 !~ /^error:/ { print $2; exit }')
  if [ $code -eq 0 ] && [ -n "$caption" ]; then pass caption "\"$caption\""; else fail caption "exit $code: $(printf '%s' "$out" | tail -n 1)"; fi
fi

# 2. The page, with the function key in the x-functions-key header.
call GET "$api/" "$key"
case "$status" in
  "200 text/html"*) pass page "GET / answered 200 HTML" ;;
  *) fail page "GET / answered $status" ;;
esac

# 3. A tiny training job: started (202), cancelled, and seen to end.
call POST "$training_api/api/training" "$training_key" -H 'Content-Type: application/json' \
  -d '{"imagesPrefix":"smoke/images/","captions":"smoke/captions.tsv","datasetName":"smoke","options":{"maxEpochs":1}}'
id=$(printf '%s' "$body" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')
if [ "${status%% *}" != 202 ] || [ -z "$id" ]; then
  fail training "POST /api/training answered $status: $body"
else
  call POST "$training_api/api/training/$id/terminate" "$training_key"
  cancel=${status%% *}
  state=""
  for _ in $(seq 1 60); do
    call GET "$training_api/api/training/$id" "$training_key"
    state=$(printf '%s' "$body" | sed -n 's/.*"runtimeStatus": *"\([^"]*\)".*/\1/p')
    case "$state" in Terminated|Failed|Completed) break ;; esac
    sleep 1
  done
  # A job may fail on its (absent) data set before the cancel lands; either way it must have ended.
  case "$cancel/$state" in
    2??/Terminated) pass training "job $id started and cancelled (Terminated)" ;;
    *"/Failed"|*"/Terminated") pass training "job $id started; cancel answered $cancel; it ended $state" ;;
    *) fail training "job $id: cancel answered $cancel, state '$state'" ;;
  esac
fi

# 4. Health and metrics (the local host serves them; the Functions apps do not).
call GET "$api/api/health" "$key"
case "$status" in
  "200 application/json"*) pass health "model $(printf '%s' "$body" | sed -n 's/.*"model": *"\{0,1\}\([^",}]*\).*/\1/p')" ;;
  404*) echo "SKIP health: $api has no /api/health (a Functions app): see the host log lines in docs/operations.md, Deploy checks" ;;
  *) fail health "GET /api/health answered $status" ;;
esac
call GET "$api/api/metrics" "$key"
case "$status" in
  "200 application/json"*) pass metrics "GET /api/metrics answered 200 JSON" ;;
  404*) echo "SKIP metrics: $api has no /api/metrics (a Functions app): Application Insights has them" ;;
  *) fail metrics "GET /api/metrics answered $status" ;;
esac

exit $failed
