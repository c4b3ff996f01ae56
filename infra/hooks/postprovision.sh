#!/bin/sh
# azd postprovision hook: publishes the bundled default model (models/default) to the models container
# and points models/current.json at it, unless a model is current already (a retrained one stays).
# Uses the Azure CLI signed in as the deploying user, whom main.bicep gives Storage Blob Data
# Contributor on the account (shared keys are off: --auth-mode login).
set -eu

account="${STORAGE_ACCOUNT_NAME:?run through azd: STORAGE_ACCOUNT_NAME is an output of infra/main.bicep}"
model_dir="models/default"

if ! command -v az >/dev/null 2>&1; then
  echo "postprovision: the Azure CLI (az) is not installed, so no model was published."
  echo "  Upload $model_dir to models/<version>/ and write models/current.json yourself (README, Deploy to Azure)."
  exit 0
fi

version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$model_dir/manifest.json" | head -n 1)
if [ -z "$version" ]; then
  echo "postprovision: no version in $model_dir/manifest.json" >&2
  exit 1
fi

# A new role assignment takes a few minutes to reach the storage data plane: retry.
attempt=1
until current=$(az storage blob exists --account-name "$account" --container-name models --name current.json \
    --auth-mode login --query exists --output tsv 2>/dev/null); do
  if [ "$attempt" -ge 20 ]; then
    echo "postprovision: no data access to storage account $account after $attempt attempts" >&2
    exit 1
  fi
  echo "postprovision: waiting for blob access on $account ($attempt)"
  attempt=$((attempt + 1))
  sleep 15
done

if [ "$current" = "true" ]; then
  echo "postprovision: models/current.json exists; the current model is kept."
  exit 0
fi

echo "postprovision: publishing model $version"
az storage blob upload-batch --account-name "$account" --auth-mode login --destination models \
  --destination-path "$version" --source "$model_dir" --overwrite false --only-show-errors --output none

pointer=$(mktemp)
trap 'rm -f "$pointer"' EXIT
printf '{"version":"%s","updatedAt":"%s"}\n' "$version" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$pointer"
az storage blob upload --account-name "$account" --auth-mode login --container-name models --name current.json \
  --file "$pointer" --content-type application/json --overwrite true --only-show-errors --output none
echo "postprovision: models/current.json -> $version"
