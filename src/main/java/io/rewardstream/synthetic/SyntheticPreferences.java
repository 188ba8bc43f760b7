package io.rewardstream.synthetic;

import io.rewardstream.data.PreferencePair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates preference pairs that follow a hidden rule, for the demo and for tests that need a known answer.
 *
 * <p>The rule: a reply that helps with the task the prompt asks about, in concrete steps, is preferred to one
 * that refuses, brushes the user off, or answers a different task. With {@code noise} > 0 that share of the
 * pairs have their labels flipped, as disagreeing annotators would.
 */
public final class SyntheticPreferences {

    private static final String[][] TASKS = {
        {"bake sourdough bread", "feed the starter the night before", "let the dough rise slowly in a cool place"},
        {"change a flat bicycle tyre", "lever the tyre off the rim", "patch the tube where the bubbles appear"},
        {"learn to juggle three balls", "practise throwing one ball in an arc", "add the second ball once the arc is steady"},
        {"write a cover letter", "name the role in the first sentence", "match two of your results to the job's needs"},
        {"grow tomatoes on a balcony", "choose a deep pot with drainage holes", "water at the base every morning"},
        {"back up a laptop", "buy an external drive larger than the disk", "schedule an automatic weekly copy"},
        {"prepare for a job interview", "research the company's recent news", "rehearse answers to common questions aloud"},
        {"paint a small room", "tape the edges and cover the floor", "apply two thin coats instead of one thick one"},
        {"start running as a beginner", "alternate one minute running with two walking", "add five minutes each week"},
        {"make a monthly budget", "list every fixed cost first", "track spending in categories for four weeks"},
        {"clean a cast iron pan", "scrub it with hot water and coarse salt", "dry it on the stove and oil it lightly"},
        {"learn basic Spanish", "study twenty common verbs", "speak with a partner for ten minutes a day"},
        {"set up a home aquarium", "cycle the water for two weeks before adding fish", "test ammonia levels weekly"},
        {"fix a dripping tap", "turn off the water supply under the sink", "replace the worn washer inside the valve"},
        {"plan a weekend hike", "check the weather and trail conditions", "pack water, a map and a warm layer"},
        {"improve your sleep", "keep the same bedtime every night", "avoid screens for an hour before bed"},
        {"train a puppy to sit", "hold a treat above its nose", "reward it the moment it sits"},
        {"brew pour-over coffee", "grind the beans medium-fine", "pour in slow circles over thirty seconds"},
        {"organise a small closet", "empty it completely first", "group items by how often you use them"},
        {"write a short story", "decide what your character wants", "put an obstacle in their way early"},
    };
    private static final String[] PROMPTS = {
        "How do I %s?", "Can you tell me how to %s?", "What is a good way to %s?", "I want to %s. Where do I start?",
    };
    private static final String[] HELPFUL = {
        "To %s, %s, and then %s.", "Good question. First %s; after that, %s.", "Here is how: %s. Then %s.",
    };
    private static final String[] UNHELPFUL = {
        "I can't help with that.", "Figure it out yourself.", "That is not something I want to talk about.",
        "Why would you even ask that?", "Search the internet.",
    };

    private final Random random;
    private final double noise;

    public SyntheticPreferences(long seed, double noise) {
        if (noise < 0 || noise >= 0.5) {
            throw new IllegalArgumentException("label noise must be in [0, 0.5), got " + noise);
        }
        this.random = new Random(seed);
        this.noise = noise;
    }

    public List<PreferencePair> pairs(int count) {
        List<PreferencePair> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(next());
        }
        return pairs;
    }

    public PreferencePair next() {
        String[] task = TASKS[random.nextInt(TASKS.length)];
        String prompt = String.format(pick(PROMPTS), task[0]);
        String good = helpful(task);
        String bad;
        if (random.nextBoolean()) {
            bad = pick(UNHELPFUL);
        } else {
            String[] other = task;
            while (other == task) {
                other = TASKS[random.nextInt(TASKS.length)];
            }
            bad = helpful(other);
        }
        return random.nextDouble() < noise ? new PreferencePair(prompt, bad, good, Double.NaN)
                : new PreferencePair(prompt, good, bad, Double.NaN);
    }

    /** A rollout-style response to a random prompt: helpful about half the time. */
    public String[] promptAndResponse() {
        Rollout rollout = rollout();
        return new String[] {rollout.prompt(), rollout.response()};
    }

    /** A response a policy might give, and whether the hidden rule counts it as helpful. */
    public record Rollout(String prompt, String response, boolean helpful) {
    }

    /** A rollout-style response to a random prompt: helpful about half the time, and says which. */
    public Rollout rollout() {
        String[] task = TASKS[random.nextInt(TASKS.length)];
        String prompt = String.format(pick(PROMPTS), task[0]);
        boolean helpful = random.nextBoolean();
        return new Rollout(prompt, helpful ? helpful(task) : pick(UNHELPFUL), helpful);
    }

    private String helpful(String[] task) {
        String template = pick(HELPFUL);
        return template.startsWith("To") ? String.format(template, task[0], task[1], task[2])
                : String.format(template, task[1], task[2]);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }
}
