package dev.ffnn.openblas;

import java.util.List;

/**
 * Thrown when no OpenBLAS candidate could be loaded and accepted.
 *
 * <p>The message lists every candidate tried, in order, with the reason it failed, and ends with
 * the fix. The exception of each failed attempt, if there was one, is attached as suppressed.
 */
public final class OpenBlasLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OpenBlasLoadException(String message) {
        super(message);
    }

    /**
     * One failed candidate.
     *
     * @param candidate the candidate tried
     * @param reason    why it failed, in words
     * @param cause     the exception behind the failure, or null for a rejection without one
     */
    record Attempt(Candidate candidate, String reason, Throwable cause) {

        /** Returns the candidate's label and the reason, for one line of a report. */
        String line() {
            return candidate.label() + ": " + reason;
        }
    }

    /** Returns the exception for a load in which every candidate failed. */
    static OpenBlasLoadException noCandidateAccepted(List<Attempt> attempts) {
        StringBuilder message = new StringBuilder("OpenBLAS could not be loaded. Tried, in order:");
        for (int i = 0; i < attempts.size(); i++) {
            Attempt attempt = attempts.get(i);
            message.append(System.lineSeparator())
                    .append("  ").append(i + 1).append(". ")
                    .append(attempt.line());
        }
        message.append(System.lineSeparator()).append(fix(attempts));

        OpenBlasLoadException exception = new OpenBlasLoadException(message.toString());
        for (Attempt attempt : attempts) {
            if (attempt.cause() != null) {
                exception.addSuppressed(attempt.cause());
            }
        }
        return exception;
    }

    private static String fix(List<Attempt> attempts) {
        boolean explicitPathGiven = attempts.stream()
                .anyMatch(attempt -> attempt.candidate().origin() == OpenBlasLibrary.Origin.EXPLICIT);
        if (explicitPathGiven) {
            return "An explicit path replaces the bundled and system libraries, so no other library was tried. "
                    + "Fix: point " + pathSettings() + " to an OpenBLAS shared library file, or unset both "
                    + "to use the bundled OpenBLAS or the system one (`apt-get install libopenblas0`).";
        }
        String fix = "Fix: set " + pathSettings() + " to an OpenBLAS shared library file, "
                + "or install the system library with `apt-get install libopenblas0`.";
        boolean bundledTried = attempts.stream()
                .anyMatch(attempt -> attempt.candidate().origin() == OpenBlasLibrary.Origin.BUNDLED);
        if (bundledTried) {
            fix += " If the cache directory is not writable or is mounted noexec, set system property "
                    + OpenBlasLibrary.CACHE_PROPERTY + " or environment variable "
                    + OpenBlasLibrary.CACHE_ENVIRONMENT_VARIABLE + " to another directory.";
        }
        return fix;
    }

    private static String pathSettings() {
        return "system property " + OpenBlasLibrary.PATH_PROPERTY + " or environment variable "
                + OpenBlasLibrary.PATH_ENVIRONMENT_VARIABLE;
    }
}
