package io.rewardstream.runtime;

import java.util.Locale;

/**
 * Where ONNX Runtime runs a session: {@code auto} (CUDA device 0 when usable, else CPU), {@code cpu}, or
 * {@code cuda:N} (CUDA device N or a start-up failure).
 *
 * @param kind  which of the three
 * @param index CUDA device index (0 for auto, unused for cpu)
 */
public record Device(Kind kind, int index) {

    public enum Kind { AUTO, CPU, CUDA }

    public static final Device AUTO = new Device(Kind.AUTO, 0);
    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be 0 or more, not " + index);
        }
    }

    public static Device cuda(int index) {
        return new Device(Kind.CUDA, index);
    }

    /** Parses auto | cpu | cuda | cuda:N (case-insensitive); {@code key} names the setting in error messages. */
    public static Device parse(String key, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return AUTO;
        }
        if (v.equals("cpu")) {
            return CPU;
        }
        if (v.equals("cuda")) {
            return cuda(0);
        }
        if (v.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(v.substring("cuda:".length())));
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a device; use auto, cpu or cuda:N");
    }

    /** True when CUDA is to be tried first. */
    public boolean wantsCuda() {
        return kind != Kind.CPU;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + index;
        };
    }
}
