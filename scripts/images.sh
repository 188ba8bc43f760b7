#!/usr/bin/env bash
# Builds RewardStream's container images on a machine that reaches no image registry, from parts it can fetch:
# a Debian base made with debootstrap (Debian's packages) and imported, Debian's Java 17 runtime, Kafka's jars and
# the Apicurio Registry artifact from Maven Central, and the project's own jar.
#
#   scripts/images.sh base       rewardstream/base:bookworm (debootstrap + docker import; needs root)
#   scripts/images.sh kafka      rewardstream/kafka:<kafka.version> (the broker jars the project builds against)
#   scripts/images.sh registry   rewardstream/apicurio-registry-mem:<apicurio.version>
#   scripts/images.sh app        rewardstream:dev (needs target/rewardstream.jar: mvn -B -q package -DskipTests)
#   scripts/images.sh all        all four, each skipped when its image already exists (FORCE=1 rebuilds)
#   scripts/images.sh env        prints the variables that point docker/compose.yaml at these images
#
# Real users with a registry need none of this: docker/Dockerfile and docker/compose.yaml default to public images.
# Settings (environment): DEBIAN_MIRROR (default http://deb.debian.org/debian), FORCE=1.
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$project_dir"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1; }
kafka_version=$(pom_property kafka.version)
apicurio_version=$(pom_property apicurio.version)

BASE_IMAGE=rewardstream/base:bookworm
KAFKA_IMAGE=rewardstream/kafka:$kafka_version
REGISTRY_IMAGE=rewardstream/apicurio-registry-mem:$apicurio_version
APP_IMAGE=rewardstream:dev

log() { echo "images.sh: $*" >&2; }
die() { log "$*"; exit 1; }
have() { [[ -z ${FORCE:-} ]] && docker image inspect "$1" >/dev/null 2>&1; }
build() { docker build --network host -q "$@" >&2; }

base() {
  have "$BASE_IMAGE" && { log "$BASE_IMAGE exists"; return 0; }
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install -y debootstrap)"
  local root
  root=$(mktemp -d /var/tmp/rewardstream-rootfs.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  log "debootstrap bookworm with Java 17 into $root (a few minutes)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
      bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; die "debootstrap failed"; }
  rm -f "$root.log"
  # What a container does not need: package caches, lists, docs.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
      "$root"/usr/share/man/* "$root"/usr/share/locale/*
  tar -C "$root" -c . | docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$BASE_IMAGE" >&2
  log "built $BASE_IMAGE"
}

kafka() {
  have "$KAFKA_IMAGE" && { log "$KAFKA_IMAGE exists"; return 0; }
  local context=target/images/kafka
  rm -rf "$context" && mkdir -p "$context"
  cp docker/kafka/Dockerfile docker/kafka/*.sh docker/kafka/log4j2.properties "$context/"
  log "fetching the Kafka $kafka_version broker jars with Maven"
  mvn -B -q -f docker/kafka/pom.xml "-Dkafka.version=$kafka_version" dependency:copy-dependencies \
      -DincludeScope=runtime "-DoutputDirectory=$project_dir/$context/libs" >&2
  build --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$KAFKA_IMAGE" "$context"
  log "built $KAFKA_IMAGE"
}

registry() {
  have "$REGISTRY_IMAGE" && { log "$REGISTRY_IMAGE exists"; return 0; }
  local context=target/images/registry
  rm -rf "$context" && mkdir -p "$context"
  cp docker/registry/Dockerfile "$context/"
  REGISTRY_CACHE_DIR="$project_dir/$context/cache" scripts/registry.sh fetch
  mv "$context/cache/app" "$context/app" && rm -rf "$context/cache"
  build --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "APICURIO_VERSION=$apicurio_version" \
      -t "$REGISTRY_IMAGE" "$context"
  log "built $REGISTRY_IMAGE"
}

app() {
  [[ -f target/rewardstream.jar ]] || die "target/rewardstream.jar is missing: mvn -B -q package -DskipTests"
  [[ -z ${FORCE:-} ]] || true
  build --build-arg "BASE_IMAGE=$BASE_IMAGE" -f docker/Dockerfile -t "$APP_IMAGE" .
  log "built $APP_IMAGE"
}

env_lines() {
  echo "export REWARDSTREAM_BASE_IMAGE=$BASE_IMAGE"
  echo "export KAFKA_IMAGE=$KAFKA_IMAGE"
  echo "export REGISTRY_IMAGE=$REGISTRY_IMAGE"
}

case ${1:-} in
  base) base ;;
  kafka) kafka ;;
  registry) registry ;;
  app) app ;;
  all) base; kafka; registry; app ;;
  env) env_lines ;;
  *) echo "usage: $0 base|kafka|registry|app|all|env" >&2; exit 2 ;;
esac
