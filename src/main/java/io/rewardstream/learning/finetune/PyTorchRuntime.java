package io.rewardstream.learning.finetune;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's PyTorch engine (DJL), configured so that it loads offline from the libtorch jar on the classpath.
 *
 * <p>DJL reads its settings from system properties or environment variables when the engine first loads. Before
 * that this class sets, unless the user already did: {@code ai.djl.offline=true} (never download), {@code
 * PYTORCH_FLAVOR=cpu} and {@code PYTORCH_VERSION} to the libtorch the build ships (so DJL picks the bundled
 * native jar), {@code DJL_CACHE_DIR} to {@code ~/.cache/rewardstream/djl} (where libtorch, about 430 MB, is
 * unpacked on first use) and one inter-op thread. A plain {@code java -jar} therefore needs nothing extra.
 *
 * <p>The intra-op thread count of PyTorch is one setting for the whole JVM: {@link #engine(int)} changes it for
 * every user of the engine.
 */
public final class PyTorchRuntime {

    /** The libtorch version of the {@code pytorch-native-cpu} jar in the build. */
    public static final String LIBTORCH_VERSION = "2.7.1";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchRuntime.class);
    private static final String ENGINE_NAME = "PyTorch";
    private static boolean loaded;

    private PyTorchRuntime() {
    }

    /**
     * The PyTorch engine with {@code threads} intra-op threads (0 keeps the current setting).
     *
     * @throws IllegalStateException when libtorch cannot be loaded, with DJL's reason
     */
    public static synchronized Engine engine(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (keep) or positive, got " + threads);
        }
        boolean first = !loaded;
        if (first) {
            configure(threads);
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("the PyTorch engine cannot load (libtorch " + LIBTORCH_VERSION
                    + " for CPU is expected in the pytorch-native-cpu jar on the classpath): " + e.getMessage(), e);
        }
        loaded = true;
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        if (first) {
            LOG.info("PyTorch {} loaded ({} intra-op threads)", engine.getVersion(), JniUtils.getNumThreads());
        }
        return engine;
    }

    private static void configure(int threads) {
        setDefault("ai.djl.offline", "true");
        setDefault("PYTORCH_FLAVOR", "cpu");
        setDefault("PYTORCH_VERSION", LIBTORCH_VERSION);
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        if (threads > 0) {
            setDefault("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR",
                    Path.of(System.getProperty("user.home"), ".cache", "rewardstream", "djl").toString());
        }
    }

    /** Sets a DJL setting unless the user gave it as a system property or an environment variable. */
    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
