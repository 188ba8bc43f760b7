#!/usr/bin/env bash
# Starts, stops and reports a real schema registry for tests: Apicurio Registry (in-memory storage) from
# the Maven Central artifact io.apicurio:apicurio-registry-app:<version>:tar.gz:all, on loopback.
# Its Confluent-compatible API is served at http://HOST:PORT/apis/ccompat/v7.
#
#   scripts/registry.sh start     fetch (once), start, wait until ready; prints: export SCHEMA_REGISTRY_URL=...
#   scripts/registry.sh stop      stop the instance started from this state directory
#   scripts/registry.sh status    print the URL and exit 0 when it is up and ready, else exit 3
#   scripts/registry.sh fetch     only fetch and unpack the artifact into REGISTRY_CACHE_DIR (used by scripts/images.sh)
#
# Use:  eval "$(scripts/registry.sh start)"   # exports SCHEMA_REGISTRY_URL in the calling shell
#
# Settings (environment):
#   REGISTRY_PORT           HTTP port (default 18081)
#   REGISTRY_HOST           bind address (default 127.0.0.1)
#   REGISTRY_STATE_DIR      pid file, log and url file (default <project>/target/registry)
#   REGISTRY_CACHE_DIR      where the artifact is unpacked (default ~/.cache/rewardstream/apicurio-<version>)
#   REGISTRY_START_TIMEOUT  seconds to wait for readiness (default 120)
#   APICURIO_VERSION        artifact version (default 2.6.13.Final; 3.x needs Java 21)
#   REGISTRY_JAVA_OPTS      extra JVM options (default -Xmx512m)
# Progress and errors go to stderr; stdout carries only the export line.
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=${APICURIO_VERSION:-2.6.13.Final}
host=${REGISTRY_HOST:-127.0.0.1}
port=${REGISTRY_PORT:-18081}
state_dir=${REGISTRY_STATE_DIR:-$project_dir/target/registry}
cache_dir=${REGISTRY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rewardstream/apicurio-$version}
timeout=${REGISTRY_START_TIMEOUT:-120}
java_opts=${REGISTRY_JAVA_OPTS:--Xmx512m}

pid_file=$state_dir/registry.pid
log_file=$state_dir/registry.log
url_file=$state_dir/registry.url
base_url=http://$host:$port
api_url=$base_url/apis/ccompat/v7
runner=$cache_dir/app/apicurio-registry-app-$version-runner.jar

log() { echo "registry.sh: $*" >&2; }
die() { log "$*"; exit 1; }

running_pid() {
  [[ -f $pid_file ]] || return 1
  local pid
  pid=$(<"$pid_file")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ready() { curl -fsS --max-time 2 "$base_url/health/ready" >/dev/null 2>&1; }

fetch() {
  [[ -f $runner ]] && return 0
  command -v java >/dev/null || die "java is not on the PATH"
  mkdir -p "$cache_dir"
  local tarball=apicurio-registry-app-$version-all.tar.gz
  local in_local_repo=$HOME/.m2/repository/io/apicurio/apicurio-registry-app/$version/$tarball
  if [[ -f $in_local_repo ]]; then
    cp "$in_local_repo" "$cache_dir/$tarball"
  else
    log "fetching io.apicurio:apicurio-registry-app:$version:tar.gz:all from Maven Central"
    (cd "$project_dir" && mvn -B -q dependency:copy \
        "-Dartifact=io.apicurio:apicurio-registry-app:$version:tar.gz:all" \
        "-DoutputDirectory=$cache_dir") >&2 || die "could not fetch the Apicurio artifact with Maven"
  fi
  local unpack
  unpack=$(mktemp -d "$cache_dir/unpack.XXXXXX")
  tar -xzf "$cache_dir/$tarball" -C "$unpack"
  [[ -f $unpack/apicurio-registry-app-$version-runner.jar ]] || die "unexpected archive layout in $tarball"
  rm -rf "$cache_dir/app"
  mv "$unpack" "$cache_dir/app"
  rm -f "$cache_dir/$tarball"
}

start() {
  mkdir -p "$state_dir"
  if pid=$(running_pid); then
    ready || die "registry (pid $pid) from $state_dir is running but not ready; see $log_file"
    log "already running (pid $pid) at $api_url"
    echo "export SCHEMA_REGISTRY_URL=$api_url"
    return 0
  fi
  ready && die "port $port on $host already serves a registry not started from $state_dir; stop it or set REGISTRY_PORT"
  fetch
  log "starting Apicurio Registry $version on $base_url (log: $log_file)"
  # shellcheck disable=SC2086
  nohup java $java_opts -Dquarkus.http.host="$host" -Dquarkus.http.port="$port" \
      -jar "$runner" >"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"
  local deadline=$((SECONDS + timeout))
  until ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      tail -n 20 "$log_file" >&2 || true
      die "registry process exited before becoming ready"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$log_file" >&2 || true
      kill "$pid" 2>/dev/null || true
      rm -f "$pid_file"
      die "registry not ready after ${timeout}s"
    fi
    sleep 0.25
  done
  # Apicurio defaults to no compatibility rule; use Confluent's default (BACKWARD) so clients see the same.
  curl -fsS --max-time 5 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
      -d '{"compatibility":"BACKWARD"}' "$api_url/config" >/dev/null \
      || die "could not set the global compatibility level"
  echo "$api_url" >"$url_file"
  log "ready (pid $pid) at $api_url"
  echo "export SCHEMA_REGISTRY_URL=$api_url"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file" "$url_file"
    log "not running"
    return 0
  fi
  kill "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "pid $pid ignored SIGTERM for 30s; sending SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  rm -f "$pid_file" "$url_file"
  log "stopped (pid $pid)"
}

status() {
  local pid
  if pid=$(running_pid) && ready; then
    log "running (pid $pid) at $api_url"
    echo "export SCHEMA_REGISTRY_URL=$api_url"
    return 0
  fi
  log "not running from $state_dir"
  return 3
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
