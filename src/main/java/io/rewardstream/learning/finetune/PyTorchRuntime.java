package io.rewardstream.learning.finetune;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rewardstream.runtime.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's PyTorch engine (DJL), configured so that it loads offline from the libtorch jar on the classpath.
 *
 * <p>DJL reads its settings from system properties or environment variables when the engine first loads. Before
 * that this class sets, unless the user already did: {@code ai.djl.offline=true} (never download), {@code
 * PYTORCH_FLAVOR} and {@code PYTORCH_VERSION} to the libtorch the build ships (cpu; cu124 with {@code -Pcuda}) (so DJL picks the bundled
 * native jar), {@code DJL_CACHE_DIR} to {@code ~/.cache/rewardstream/djl} (where libtorch, about 430 MB, is
 * unpacked on first use) and one inter-op thread. A plain {@code java -jar} therefore needs nothing extra.
 *
 * <p>The intra-op thread count of PyTorch is one setting for the whole JVM: {@link #engine(int)} changes it for
 * every user of the engine.
 */
public final class PyTorchRuntime {

    /** The libtorch the build bundles: flavour (cpu, cu124) and version, as the pom filtered them in. */
    private static final Properties BUNDLED = bundled();
    /** The libtorch version of the {@code pytorch-native-*} jar in the build. */
    public static final String LIBTORCH_VERSION = BUNDLED.getProperty("pytorch.version", "2.7.1");
    /** The libtorch flavour of the build: cpu, or cu124 with the cuda profile. */
    public static final String LIBTORCH_FLAVOR = BUNDLED.getProperty("pytorch.flavor", "cpu");

    private static final Logger LOG = LoggerFactory.getLogger(PyTorchRuntime.class);
    private static final String ENGINE_NAME = "PyTorch";
    private static boolean loaded;
    private static Device wanted = Device.AUTO;
    private static ai.djl.Device selected;

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
                    + " " + LIBTORCH_FLAVOR + " is expected in the pytorch-native-" + LIBTORCH_FLAVOR
                    + " jar on the classpath): " + e.getMessage(), e);
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

    /**
     * Where training runs from now on in this JVM ({@code auto}, {@code cpu} or {@code cuda:N}, see
     * {@link TorchDevice}); like the thread count, one setting for the whole JVM. Takes effect for managers made
     * after the call.
     */
    public static synchronized void useDevice(Device device) {
        wanted = device;
        selected = null;
    }

    /**
     * A new base manager on the selected device: the root of every array a trainable encoder holds.
     *
     * @param threads PyTorch intra-op threads (0 keeps the current setting)
     * @throws IllegalStateException when cuda:N was asked for and PyTorch has no such device
     */
    public static synchronized NDManager newManager(int threads) {
        Engine engine = engine(threads);
        if (selected == null) {
            selected = TorchDevice.select(wanted, engine.getGpuCount());
            LOG.info("PyTorch trains on {}", selected);
        }
        return engine.newBaseManager(selected);
    }

    private static void configure(int threads) {
        setDefault("ai.djl.offline", "true");
        setDefault("PYTORCH_FLAVOR", LIBTORCH_FLAVOR);
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

    private static Properties bundled() {
        Properties props = new Properties();
        try (InputStream in = PyTorchRuntime.class.getResourceAsStream("/rewardstream-torch.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rewardstream-torch.properties", e);
        }
        return props;
    }

    /** Sets a DJL setting unless the user gave it as a system property or an environment variable. */
    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
