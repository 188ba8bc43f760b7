package io.rewardstream.encoder;

/** An encoder (ONNX graph or tokenizer) that cannot be used, with the reason in the message. */
public final class EncoderLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderLoadException(String message) {
        super(message);
    }

    public EncoderLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
