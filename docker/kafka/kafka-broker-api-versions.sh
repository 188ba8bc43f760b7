#!/usr/bin/env bash
# The same health check as the apache/kafka image's: asks the broker for its API versions (kafka-tools).
exec java -Xmx128m -XX:TieredStopAtLevel=1 -cp '/opt/kafka/libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
