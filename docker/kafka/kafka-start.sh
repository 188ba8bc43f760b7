#!/usr/bin/env bash
# Starts a KRaft broker the way the apache/kafka image does, from its environment: every KAFKA_* variable becomes a
# server property (KAFKA_NODE_ID=1 -> node.id=1; a double underscore stands for a dash, a triple one for an
# underscore), CLUSTER_ID names the cluster, and the log directory is formatted on first start.
set -euo pipefail

config=/opt/kafka/config/server.properties
mkdir -p "$(dirname "$config")"
: >"$config"
while IFS='=' read -r name value; do
  case $name in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS) continue ;;
    KAFKA_*)
      key=${name#KAFKA_}
      key=${key//___/@}
      key=${key//__/-}
      key=${key//_/.}
      key=${key//@/_}
      echo "${key,,}=$value" >>"$config"
      ;;
  esac
done < <(env)
grep -q '^log.dirs=' "$config" || echo "log.dirs=/var/lib/kafka/data" >>"$config"
log_dirs=$(sed -n 's/^log.dirs=//p' "$config")

classpath='/opt/kafka/libs/*'
# shellcheck disable=SC2086
java_opts="${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-}"
if [[ ! -f ${log_dirs%%,*}/meta.properties ]]; then
  # shellcheck disable=SC2086
  java $java_opts -cp "$classpath" kafka.tools.StorageTool format --ignore-formatted \
      --cluster-id "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" --config "$config"
fi
# shellcheck disable=SC2086
exec java $java_opts -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -cp "$classpath" \
    kafka.Kafka "$config"
