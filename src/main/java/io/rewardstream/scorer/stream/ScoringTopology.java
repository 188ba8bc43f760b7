package io.rewardstream.scorer.stream;

import io.rewardstream.config.Topics;
import io.rewardstream.scorer.serving.BatchScorer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The scorer's topology: responses -> micro-batcher (persistent batch store) -> rewards, with invalid responses
 * to the dead-letter topic. Every processor, store and topic is named here.
 */
public final class ScoringTopology {

    public static final String SOURCE = "responses-source";
    public static final String BATCHER = "micro-batcher";
    public static final String WAITING_STORE = "waiting-responses";
    public static final String OUTCOME = "outcome-";
    public static final String REWARDS_BRANCH = "rewards";
    public static final String DEAD_LETTERS_BRANCH = "dead-letters";
    public static final String AS_REWARD = "as-reward";
    public static final String AS_DEAD_LETTER = "as-dead-letter";
    public static final String REWARDS_SINK = "rewards-sink";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";

    private ScoringTopology() {
    }

    public static Topology build(Batching batching, Topics topics, ScoringSerdes serdes, BatchScorer scorer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topics.responses(), Consumed.with(Serdes.String(), serdes.responses()).withName(SOURCE))
                .process(new MicroBatchSupplier(batching, scorer, serdes.responses()), Named.as(BATCHER))
                .split(Named.as(OUTCOME))
                .branch((key, value) -> value.ok(), Branched.withConsumer(rewards -> rewards
                        .mapValues(Scored::reward, Named.as(AS_REWARD))
                        .to(topics.rewards(), Produced.with(Serdes.String(), serdes.rewards()).withName(REWARDS_SINK)),
                        REWARDS_BRANCH))
                .defaultBranch(Branched.withConsumer(dead -> dead
                        .mapValues(Scored::deadLetter, Named.as(AS_DEAD_LETTER))
                        .to(topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters())
                                .withName(DEAD_LETTERS_SINK)), DEAD_LETTERS_BRANCH));
        return builder.build();
    }
}
