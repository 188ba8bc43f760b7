package io.rewardstream.training;

/** Input the user must fix; the command line turns it into exit code 2. */
public final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
