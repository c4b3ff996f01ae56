#!/bin/sh
# azd postprovision hook: publishes the bundled default model (models/default) to models/<version>/ and, last,
# points models/current.json at it, unless a model is current already (a retrained one stays).
# Safe to re-run at any point of a failed run: each blob is created only if absent (If-None-Match: *), one that
# exists must hold the same bytes (Content-MD5), and the pointer is written last, also only if absent.
# Talks to the Blob REST API with curl and an Entra ID token of the deploying user (az), whom main.bicep gives
# Storage Blob Data Contributor on the account (shared keys are off).
set -eu

account="${STORAGE_ACCOUNT_NAME:?run through azd: STORAGE_ACCOUNT_NAME is an output of infra/main.bicep}"
endpoint="${STORAGE_BLOB_ENDPOINT:-https://$account.blob.core.windows.net/}"
endpoint="${endpoint%/}"
retry_seconds="${CAPTIONER_HOOK_RETRY_SECONDS:-15}"
model_dir="models/default"
api_version="2021-08-06"

if ! command -v az >/dev/null 2>&1; then
  echo "postprovision: the Azure CLI (az) is not installed, so no model was published."
  echo "  Upload $model_dir to models/<version>/ and write models/current.json yourself (docs/operations.md, Deploy to Azure)."
  exit 0
fi

version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$model_dir/manifest.json" | head -n 1)
if [ -z "$version" ]; then
  echo "postprovision: no version in $model_dir/manifest.json" >&2
  exit 1
fi

token=$(az account get-access-token --resource https://storage.azure.com/ --query accessToken --output tsv)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# blob METHOD PATH [curl options...]: prints the HTTP status; the response headers go to $work/headers.
# A new role assignment takes minutes to reach the data plane: 403 is retried for about five minutes.
blob() {
  method=$1; path=$2; shift 2
  attempt=1
  while :; do
    # HEAD as --head: with -X HEAD curl waits for a body that never comes.
    if [ "$method" = HEAD ]; then verb=--head; else verb="--request $method"; fi
    # shellcheck disable=SC2086
    status=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' $verb \
      -H "Authorization: Bearer $token" -H "x-ms-version: $api_version" "$@" "$endpoint/$path") || status=000
    if [ "$status" != 403 ] && [ "$status" != 000 ]; then
      echo "$status"
      return 0
    fi
    if [ "$attempt" -ge 20 ]; then
      echo "postprovision: $method $path answered $status after $attempt attempts (no data access to $account?)" >&2
      cat "$work/body" >&2 2>/dev/null || true
      exit 1
    fi
    echo "postprovision: waiting for blob access on $account ($attempt)" >&2
    attempt=$((attempt + 1))
    sleep "$retry_seconds"
  done
}

md5_of() { openssl dgst -md5 -binary "$1" | openssl base64; }

case $(blob HEAD models/current.json) in
  200) echo "postprovision: models/current.json exists; the current model is kept."; exit 0 ;;
  404) ;;
  *) echo "postprovision: unexpected answer reading models/current.json" >&2; exit 1 ;;
esac

echo "postprovision: publishing model $version"
for file in "$model_dir"/*; do
  name=$(basename "$file")
  md5=$(md5_of "$file")
  case "$name" in *.json) type=application/json ;; *) type=application/octet-stream ;; esac
  status=$(blob PUT "models/$version/$name" -H "x-ms-blob-type: BlockBlob" -H "If-None-Match: *" \
    -H "x-ms-blob-content-md5: $md5" -H "x-ms-blob-content-type: $type" --data-binary "@$file")
  case "$status" in
    201) echo "postprovision: uploaded models/$version/$name" ;;
    409)
      # There from an earlier run: a whole blob or none (one Put Blob), so equal bytes mean it is done.
      blob HEAD "models/$version/$name" >/dev/null
      existing=$(sed -n 's/^[Cc]ontent-[Mm][Dd]5: *\([^[:space:]]*\).*/\1/p' "$work/headers")
      if [ "$existing" != "$md5" ]; then
        echo "postprovision: models/$version/$name exists with other content; not overwriting a published model" >&2
        exit 1
      fi
      echo "postprovision: models/$version/$name already published" ;;
    *) echo "postprovision: uploading models/$version/$name answered $status" >&2; cat "$work/body" >&2; exit 1 ;;
  esac
done

printf '{"version":"%s","updatedAt":"%s"}\n' "$version" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$work/current.json"
status=$(blob PUT models/current.json -H "x-ms-blob-type: BlockBlob" -H "If-None-Match: *" \
  -H "x-ms-blob-content-type: application/json" --data-binary "@$work/current.json")
case "$status" in
  201) echo "postprovision: models/current.json -> $version" ;;
  409) echo "postprovision: models/current.json was written meanwhile; it is kept." ;;
  *) echo "postprovision: writing models/current.json answered $status" >&2; cat "$work/body" >&2; exit 1 ;;
esac
