package io.rewardstream.common;

/** Input the user must fix; the command line turns it into exit code 2. */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
