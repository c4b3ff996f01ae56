# Sourced by the benchmarks: a fresh Azurite and local host of their own, on free ports, stopped on exit.
#   bench_stack_storage              starts Azurite; sets $connection
#   bench_stack_host NAME=VALUE...   starts the local host with those settings; sets $http_port, waits for its model
# Needs $root (the repository) set by the caller.

ports=()
while [ ${#ports[@]} -lt 4 ]; do
  port=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && [[ ! " ${ports[*]} " =~ " $port " ]]; then ports+=("$port"); fi
done
blob_port=${ports[0]}; queue_port=${ports[1]}; table_port=${ports[2]}; http_port=${ports[3]}
data=$(mktemp -d)
azurite=""; host=""
bench_stack_stop() {
  trap "" INT TERM  # a second Ctrl+C must not cut the clean-up short (Azurite left running)
  [ -n "$host" ] && { kill "$host" 2>/dev/null || true; for _ in $(seq 1 50); do kill -0 "$host" 2>/dev/null || break; sleep 0.2; done; kill -9 "$host" 2>/dev/null || true; }
  [ -n "$azurite" ] && kill -9 "$azurite" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap bench_stack_stop EXIT
trap 'exit 130' INT TERM

bench_stack_storage() {
  "$root/node_modules/.bin/azurite" --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" --location "$data/azurite" --skipApiVersionCheck --silent > "$data/azurite.log" 2>&1 &
  azurite=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && break; sleep 0.2; done
  connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
}

bench_stack_host() {
  env AzureWebJobsStorage="$connection" Captioner__SeedModel="$root/models/default" ASPNETCORE_URLS="http://127.0.0.1:$http_port" "$@" \
    dotnet "$root/src/Captioner.LocalHost/bin/Release/net10.0/linux-x64/Captioner.LocalHost.dll" > "$data/host.log" 2>&1 &
  host=$!
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$http_port/api/health" | grep -q '"model":"' && return 0
    kill -0 "$host" 2>/dev/null || { echo "error: the local host exited:" >&2; tail -20 "$data/host.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "error: the local host did not serve a model within 2 minutes" >&2; exit 1
}
