#!/usr/bin/env bash
# The docker-compose topology as local processes, for machines without Docker:
# redis-server and three silo processes on loopback, backed by Redis (clustering, storage, reminders).
#
#   scripts/cluster.sh up       build the silo, start redis and three silos, wait until all three are members
#   scripts/cluster.sh status   the processes, and the cluster's members as each silo's /health sees them
#   scripts/cluster.sh down     stop the silos and redis
#   scripts/cluster.sh kill N   kill -9 silo N, as a crash would (the chaos client's silo-crash uses this)
#   scripts/cluster.sh start N  start silo N again and wait until the cluster has all its silos
#
# Then: GrantSim__Backend=Redis GrantSim__Redis__ConnectionString=localhost:$REDIS_PORT \
#         dotnet run --project client -- --cluster
# Settings (environment): REDIS_PORT (6390), CLUSTER_ID (grantsim), STATE_DIR (.cluster), SILOS (3),
# PORT_OFFSET (0: silo n listens on 11110+n, gateway 30000+n, web 8080+n, each plus the offset).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
redis_port=${REDIS_PORT:-6390}
cluster_id=${CLUSTER_ID:-grantsim}
state=${STATE_DIR:-$repo/.cluster}
silos=${SILOS:-3}
offset=${PORT_OFFSET:-0}
silo_dll="$repo/silo/bin/Release/net10.0/GrantSim.Silo.dll"

silo_env() { # silo number -> environment of that silo
  local n=$1
  echo "GrantSim__Backend=Redis GrantSim__Redis__ConnectionString=localhost:$redis_port GrantSim__ClusterId=$cluster_id" \
       "GrantSim__Silo__AdvertisedAddress=127.0.0.1 GrantSim__Silo__SiloPort=$((11110 + offset + n))" \
       "GrantSim__Silo__GatewayPort=$((30000 + offset + n)) GrantSim__Silo__WebPort=$((8080 + offset + n))" \
       "GrantSim__Aws__Port=$((4565 + offset + n)) GrantSim__Aws__TokenSecret=${AWS_TOKEN_SECRET:-grantsim-cluster-$cluster_id}"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

members() { # how many active members silo n sees, or nothing
  curl -fsS "http://127.0.0.1:$((8080 + offset + $1))/health" 2>/dev/null | grep -oE 'S[0-9.]+:[0-9]+:[0-9]+' | sort -u | wc -l || true
}

start_silo() { # silo number: start it unless it runs
  local n=$1
  if ! alive "$state/silo$n.pid"; then
    env $(silo_env "$n") nohup dotnet "$silo_dll" >>"$state/logs/silo$n.log" 2>&1 &
    echo $! >"$state/silo$n.pid"
  fi
}

wait_for_members() { # until every silo sees all the silos as members, up to 120 s
  for _ in $(seq 1 120); do
    local agreed=0
    for n in $(seq 1 "$silos"); do
      if alive "$state/silo$n.pid" && [[ "$(members "$n")" == "$silos" ]]; then agreed=$((agreed + 1)); fi
    done
    if [[ "$agreed" == "$silos" ]]; then return 0; fi
    sleep 1
  done
  echo "the silos did not form a cluster of $silos within 120 s; see $state/logs" >&2
  return 1
}

kill_silo() {
  local n=${1:?usage: $0 kill N}
  if alive "$state/silo$n.pid"; then kill -9 "$(cat "$state/silo$n.pid")"; fi
  rm -f "$state/silo$n.pid"
  echo "silo$n killed"
}

start_one() {
  local n=${1:?usage: $0 start N}
  start_silo "$n"
  wait_for_members
  echo "silo$n running, $silos members"
}

up() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed (Debian: apt-get install redis-server)" >&2; exit 1; }
  mkdir -p "$state/logs"
  dotnet build -c Release "$repo/silo" -v quiet -nologo >/dev/null
  if ! alive "$state/redis.pid"; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly yes --dir "$state" \
      --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/logs/redis.log"
  fi
  for n in $(seq 1 "$silos"); do start_silo "$n"; done
  wait_for_members || exit 1
  status
}

status() {
  alive "$state/redis.pid" && echo "redis   pid $(cat "$state/redis.pid")  port $redis_port" || echo "redis   down"
  for n in $(seq 1 "$silos"); do
    if alive "$state/silo$n.pid"; then
      echo "silo$n   pid $(cat "$state/silo$n.pid")  silo $((11110 + offset + n))  gateway $((30000 + offset + n))  web http://127.0.0.1:$((8080 + offset + n))/dashboard  members seen: $(members "$n")"
    else
      echo "silo$n   down"
    fi
  done
}

down() {
  for n in $(seq 1 "$silos"); do
    if alive "$state/silo$n.pid"; then kill "$(cat "$state/silo$n.pid")"; fi
    rm -f "$state/silo$n.pid"
  done
  if alive "$state/redis.pid"; then redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$state/redis.pid")"; fi
  rm -f "$state/redis.pid"
  echo "stopped"
}

case "${1:-status}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill) kill_silo "${2:-}" ;;
  start) start_one "${2:-}" ;;
  *) echo "usage: $0 up|down|status|kill N|start N" >&2; exit 2 ;;
esac
