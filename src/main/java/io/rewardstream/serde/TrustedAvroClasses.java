package io.rewardstream.serde;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro (1.11.4 and later) refuses to instantiate classes by name unless they are trusted, which includes
 * generated SpecificRecord classes. This adds the project's generated package, and any class a serde is
 * explicitly asked to produce, to Avro's process-wide list, keeping whatever was trusted before.
 */
public final class TrustedAvroClasses {

    private static final String GENERATED_PACKAGE = "io.rewardstream.avro.";
    private static final Set<String> EXPLICIT = ConcurrentHashMap.newKeySet();
    private static volatile boolean installed;

    private TrustedAvroClasses() {
    }

    /** Trusts the project's generated classes; idempotent. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (TrustedAvroClasses.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                        type -> type.getName().startsWith(GENERATED_PACKAGE) || EXPLICIT.contains(type.getName())));
                installed = true;
            }
        }
    }

    /** Trusts one class a caller handed to a serde as its target type. */
    public static void trust(Class<?> type) {
        install();
        EXPLICIT.add(type.getName());
    }
}
