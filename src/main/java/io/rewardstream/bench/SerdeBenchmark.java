package io.rewardstream.bench;

import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.serde.TrustedAvroClasses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Serialize + deserialize throughput of ScoredResponse records through the registry serde (in-memory
 * registry, warm cache) against plain Avro binary encoding of the same records, measured in one run.
 * The two paths alternate round by round so that machine noise hits both alike.
 */
public final class SerdeBenchmark {

    private static final String TOPIC = "rlhf.rewards";

    /** Benchmark size: records per round, unmeasured warm-up rounds and measured rounds. */
    public record Options(int records, int warmupRounds, int measuredRounds, long seed) {
        public Options {
            if (records < 1 || warmupRounds < 0 || measuredRounds < 1) {
                throw new IllegalArgumentException("need records >= 1, warmupRounds >= 0, measuredRounds >= 1");
            }
        }
    }

    /** Records per second of each path; the round-trip rate counts one serialize plus one deserialize. */
    public record Result(int records, int measuredRounds, double meanRecordBytes,
                         double serdeSerializePerSecond, double serdeDeserializePerSecond, double serdePerSecond,
                         double plainSerializePerSecond, double plainDeserializePerSecond, double plainPerSecond) {

        /** Serde round-trip throughput as a fraction of plain Avro's. */
        public double ratio() {
            return serdePerSecond / plainPerSecond;
        }
    }

    /** Nanoseconds spent serializing and deserializing, summed over rounds. */
    private static final class Timing {
        private long serializeNanos;
        private long deserializeNanos;
    }

    private interface Codec {
        byte[] encode(ScoredResponse record);

        ScoredResponse decode(byte[] bytes);
    }

    /** Consumes every decoded record so the JIT cannot drop the decoding work. */
    private long checksum;

    static {
        TrustedAvroClasses.install();
    }

    public Result run(Options options) {
        List<ScoredResponse> records = ScoredResponseSamples.generate(options.records(), options.seed());
        String scope = "bench-" + UUID.randomUUID();
        try (CachingSchemaRegistryClient client = SchemaRegistryClients.create(
                RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "mock://" + scope)))) {
            AvroSerde<ScoredResponse> serde = AvroSerde.specific(ScoredResponse.class, client, AvroSerdeConfig.defaults());
            Codec viaSerde = new Codec() {
                @Override
                public byte[] encode(ScoredResponse record) {
                    return serde.serializer().serialize(TOPIC, record);
                }

                @Override
                public ScoredResponse decode(byte[] bytes) {
                    return serde.deserializer().deserialize(TOPIC, bytes);
                }
            };
            return measure(options, records, viaSerde, new PlainAvro());
        } finally {
            MockRegistryScopes.drop(scope);
        }
    }

    private Result measure(Options options, List<ScoredResponse> records, Codec serde, Codec plain) {
        byte[][] frames = new byte[records.size()][];
        for (int round = 0; round < options.warmupRounds(); round++) {
            runRound(records, frames, serde, new Timing());
            runRound(records, frames, plain, new Timing());
        }
        Timing serdeTime = new Timing();
        Timing plainTime = new Timing();
        long plainBytes = 0;
        for (int round = 0; round < options.measuredRounds(); round++) {
            if (round % 2 == 0) {
                runRound(records, frames, serde, serdeTime);
                plainBytes = runRound(records, frames, plain, plainTime);
            } else {
                plainBytes = runRound(records, frames, plain, plainTime);
                runRound(records, frames, serde, serdeTime);
            }
        }
        double operations = (double) records.size() * options.measuredRounds();
        return new Result(records.size(), options.measuredRounds(), (double) plainBytes / records.size(),
                perSecond(operations, serdeTime.serializeNanos),
                perSecond(operations, serdeTime.deserializeNanos),
                perSecond(operations, serdeTime.serializeNanos + serdeTime.deserializeNanos),
                perSecond(operations, plainTime.serializeNanos),
                perSecond(operations, plainTime.deserializeNanos),
                perSecond(operations, plainTime.serializeNanos + plainTime.deserializeNanos));
    }

    /** Runs one serialize pass and one deserialize pass; returns the bytes written. */
    private long runRound(List<ScoredResponse> records, byte[][] frames, Codec codec, Timing timing) {
        long bytes = 0;
        long start = System.nanoTime();
        for (int i = 0; i < frames.length; i++) {
            frames[i] = codec.encode(records.get(i));
        }
        long encoded = System.nanoTime();
        for (byte[] frame : frames) {
            checksum += codec.decode(frame).getModelVersion();
            bytes += frame.length;
        }
        timing.serializeNanos += encoded - start;
        timing.deserializeNanos += System.nanoTime() - encoded;
        return bytes;
    }

    private static double perSecond(double operations, long nanos) {
        return operations / (nanos / 1e9);
    }

    /** Plain Avro binary with reused encoder and decoder: the fastest way to use the library directly. */
    private static final class PlainAvro implements Codec {
        private final SpecificDatumWriter<ScoredResponse> writer = new SpecificDatumWriter<>(
                ScoredResponse.getClassSchema(), SpecificData.getForClass(ScoredResponse.class));
        private final SpecificDatumReader<ScoredResponse> reader = new SpecificDatumReader<>(
                ScoredResponse.getClassSchema(), ScoredResponse.getClassSchema(),
                SpecificData.getForClass(ScoredResponse.class));
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        private BinaryEncoder encoder;
        private BinaryDecoder decoder;

        @Override
        public byte[] encode(ScoredResponse record) {
            try {
                out.reset();
                encoder = EncoderFactory.get().binaryEncoder(out, encoder);
                writer.write(record, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ScoredResponse decode(byte[] bytes) {
            try {
                decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                return reader.read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
