package io.rewardstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rewardstream.onnx.TinyEncoders;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DevicePlacementTest {

    private static final byte[] GRAPH = TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(1), "last_hidden_state");
    private static final DevicePlacement.CudaProvider NO_CUDA = (options, id) -> {
        throw new OrtException("CUDA execution provider is not available in this build");
    };

    private final Logger logger = (Logger) LoggerFactory.getLogger(DevicePlacement.class);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    private static OrtSession open(DevicePlacement placement, Device device) throws OrtException {
        return OrtRuntime.onLargeStack(() -> placement.open(device, 1,
                options -> OrtRuntime.environment().createSession(GRAPH, options)));
    }

    @Test
    void shouldParseEveryDeviceFormAndNameTheKeyOfABadOne() {
        // When / Then
        assertThat(Device.parse("scoring.device", "auto")).isEqualTo(Device.AUTO);
        assertThat(Device.parse("scoring.device", " CPU ")).isEqualTo(Device.CPU);
        assertThat(Device.parse("scoring.device", "cuda")).isEqualTo(Device.cuda(0));
        assertThat(Device.parse("scoring.device", "cuda:3")).isEqualTo(Device.cuda(3));
        assertThat(Device.cuda(3)).hasToString("cuda:3");
        assertThatThrownBy(() -> Device.parse("scoring.device", "gpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scoring.device").hasMessageContaining("'gpu'");
        assertThatThrownBy(() -> Device.parse("scoring.device", "cuda:-1"))
                .hasMessageContaining("scoring.device");
    }

    @Test
    void shouldFallBackToCpuAndWarnOnlyOnceWhenAutoFindsNoCuda() throws Exception {
        // Given
        DevicePlacement placement = new DevicePlacement(NO_CUDA);

        // When
        try (OrtSession first = open(placement, Device.AUTO); OrtSession second = open(placement, Device.AUTO)) {

            // Then
            assertThat(first.getInputNames()).contains("input_ids");
            assertThat(second.getInputNames()).contains("input_ids");
        }
        assertThat(placement.warned()).isTrue();
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("running on CPU")
                        .contains("not available in this build"));
    }

    @Test
    void shouldFailAtStartWithAClearMessageWhenAnExplicitCudaDeviceIsUnusable() {
        // Given
        DevicePlacement placement = new DevicePlacement(NO_CUDA);

        // When / Then
        assertThatThrownBy(() -> open(placement, Device.cuda(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scoring.device=cuda:1").hasMessageContaining("mvn -Pcuda package")
                .hasMessageContaining("not available in this build");
        assertThat(placement.warned()).isFalse();
    }

    @Test
    void shouldFallBackWhenTheSessionItselfFailsOnCuda() throws Exception {
        // Given a provider that accepts the device, and a first session attempt that fails (e.g. no cuDNN)
        AtomicInteger attempts = new AtomicInteger();
        DevicePlacement placement = new DevicePlacement((options, id) -> { });

        // When
        try (OrtSession session = OrtRuntime.onLargeStack(() -> placement.open(Device.AUTO, 1, options -> {
            if (attempts.incrementAndGet() == 1) {
                throw new OrtException("libcudnn.so.9: cannot open shared object file");
            }
            return OrtRuntime.environment().createSession(GRAPH, options);
        }))) {

            // Then
            assertThat(session.getInputNames()).contains("input_ids");
        }
        assertThat(attempts).hasValue(2);
        assertThat(placement.warned()).isTrue();
    }

    @Test
    void shouldNotTouchCudaWhenCpuIsAskedFor() throws Exception {
        // Given
        AtomicInteger cudaCalls = new AtomicInteger();
        DevicePlacement placement = new DevicePlacement((options, id) -> cudaCalls.incrementAndGet());

        // When
        try (OrtSession session = open(placement, Device.CPU)) {

            // Then
            assertThat(session.getInputNames()).contains("input_ids");
        }
        assertThat(cudaCalls).hasValue(0);
    }

    @Test
    void shouldOpenASessionWithAutoAndRefuseCudaZeroOnThisCpuOnlyBuild() throws Exception {
        // Given the CPU onnxruntime artifact of the default build

        // When
        try (OrtSession session = OrtRuntime.session(GRAPH, 1, Device.AUTO)) {

            // Then
            assertThat(session.getInputNames()).contains("input_ids");
        }
        assertThatThrownBy(() -> OrtRuntime.session(GRAPH, 1, Device.cuda(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scoring.device=cuda:0");
    }
}
