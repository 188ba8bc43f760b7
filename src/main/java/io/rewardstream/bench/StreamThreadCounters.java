package io.rewardstream.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Commit counters of every Kafka Streams thread in this process, read from the metrics Kafka Streams registers in
 * JMX ({@code kafka.streams:type=stream-thread-metrics}): how many commits a run made and how long they took, the
 * part of the pipeline's cost that exactly-once adds per commit.
 *
 * @param commits          commits of all stream threads so far
 * @param commitMillisMean their mean commit time in ms (each thread's commit-latency-avg over Kafka's recent window,
 *                         weighted by its commits); NaN before the first commit
 */
record StreamThreadCounters(double commits, double commitMillisMean) {

    static StreamThreadCounters now() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double commits = 0;
        double millis = 0;
        try {
            for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"),
                    null)) {
                boolean streamThread = Arrays.stream(server.getMBeanInfo(name).getAttributes())
                        .anyMatch(a -> a.getName().equals("commit-total"));
                if (!streamThread) {
                    continue; // the state updater registers under the same type without commit metrics
                }
                double total = number(server.getAttribute(name, "commit-total"));
                double latency = number(server.getAttribute(name, "commit-latency-avg"));
                commits += total;
                millis += Double.isNaN(latency) ? 0 : total * latency;
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot read Kafka Streams' thread metrics from JMX", e);
        }
        return new StreamThreadCounters(commits, commits > 0 ? millis / commits : Double.NaN);
    }

    /** Items per commit made since {@code before}, when {@code items} went through meanwhile; NaN without commits. */
    double itemsPerCommitSince(StreamThreadCounters before, int items) {
        double made = commits - before.commits;
        return made > 0 ? items / made : Double.NaN;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
