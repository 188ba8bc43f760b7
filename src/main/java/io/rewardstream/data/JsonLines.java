package io.rewardstream.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.common.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a JSONL file of objects into records, collecting the lines it cannot use with file, line and reason.
 * Blank lines are ignored. In strict mode the first bad line stops the read with a {@link BadInputException}.
 */
public final class JsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Records read and the lines skipped. */
    public record Read<T>(List<T> records, List<InputError> skipped) {
    }

    /** Turns one parsed object into a record, or throws IllegalArgumentException naming what is wrong. */
    public interface LineParser<T> extends Function<JsonNode, T> {
    }

    private JsonLines() {
    }

    public static <T> Read<T> read(Path file, LineParser<T> parser, boolean strict) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file");
        }
        List<T> records = new ArrayList<>();
        List<InputError> skipped = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = MAPPER.readTree(text);
                    if (node == null || !node.isObject()) {
                        throw new IllegalArgumentException("expected a JSON object");
                    }
                    records.add(parser.apply(node));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    String reason = e instanceof JsonProcessingException j
                            ? "malformed JSON (" + j.getOriginalMessage() + ")" : e.getMessage();
                    InputError error = new InputError(file.toString(), line, reason);
                    if (strict) {
                        throw new BadInputException(error.toString());
                    }
                    skipped.add(error);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new Read<>(records, skipped);
    }

    /** A required, non-blank string field. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a string");
        }
        if (value.asText().isBlank()) {
            throw new IllegalArgumentException("field \"" + field + "\" is empty");
        }
        return value.asText();
    }

    /** An optional number field; NaN when absent. */
    public static double optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a number");
        }
        return value.asDouble();
    }
}
