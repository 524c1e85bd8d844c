package dev.ffnn.openblas;

import dev.ffnn.openblas.OpenBlasLibrary.Validator;
import dev.ffnn.openblas.OpenBlasLoadException.Attempt;

import java.io.IOException;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Tries candidates in order and accepts the first that opens, has every symbol and passes the validator. */
final class LibraryLoader {

    private LibraryLoader() {
    }

    /**
     * Returns the first accepted candidate.
     *
     * @throws OpenBlasLoadException listing every attempt if no candidate is accepted
     */
    static OpenBlasLibrary load(List<Candidate> candidates, Collection<String> requiredSymbols, Validator validator) {
        List<Attempt> attempts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            OpenBlasLibrary library = tryCandidate(candidate, requiredSymbols, validator, attempts);
            if (library != null) {
                return library;
            }
        }
        throw OpenBlasLoadException.noCandidateAccepted(attempts);
    }

    /**
     * Checks a later caller's symbols and validator against the library already loaded.
     *
     * @throws OpenBlasLoadException if the library lacks a symbol or the validator rejects it
     */
    static void checkLoaded(OpenBlasLibrary library, Collection<String> requiredSymbols, Validator validator) {
        List<String> missingSymbols = missingSymbols(library.lookup(), requiredSymbols);
        Optional<String> problem = missingSymbols.isEmpty()
                ? validator.reject(library.lookup())
                : Optional.of("it lacks symbols " + String.join(", ", missingSymbols));
        if (problem.isPresent()) {
            throw new OpenBlasLoadException("OpenBLAS is already loaded in this process from "
                    + library.describe() + ", but " + problem.get() + ". A process loads OpenBLAS once, "
                    + "so the first load must request every symbol and check that any later caller needs.");
        }
    }

    /** Returns the accepted library, or records why the candidate failed and returns null. */
    private static OpenBlasLibrary tryCandidate(Candidate candidate, Collection<String> requiredSymbols,
                                                Validator validator, List<Attempt> attempts) {
        Candidate.Opened opened;
        try {
            opened = candidate.opener().open();
        } catch (IOException | RuntimeException e) {
            attempts.add(new Attempt(candidate, "failed to load: " + describe(e), e));
            return null;
        }

        Path path = opened.path();
        List<String> missingSymbols = missingSymbols(opened.lookup(), requiredSymbols);
        if (!missingSymbols.isEmpty()) {
            String reason = "rejected " + path + ": missing symbols " + String.join(", ", missingSymbols);
            attempts.add(new Attempt(candidate, reason, null));
            return null;
        }

        Optional<String> rejection;
        try {
            rejection = validator.reject(opened.lookup());
        } catch (RuntimeException e) {
            attempts.add(new Attempt(candidate, "validator failed on " + path + ": " + describe(e), e));
            return null;
        }
        if (rejection.isPresent()) {
            attempts.add(new Attempt(candidate, "rejected " + path + ": " + rejection.get(), null));
            return null;
        }
        List<String> skippedCandidates = attempts.stream()
                .map(Attempt::line)
                .toList();
        return new OpenBlasLibrary(path, candidate.origin(), candidate.source(), opened.lookup(), skippedCandidates);
    }

    private static List<String> missingSymbols(SymbolLookup lookup, Collection<String> requiredSymbols) {
        return requiredSymbols.stream()
                .filter(symbol -> lookup.find(symbol).isEmpty())
                .toList();
    }

    /**
     * Returns the message of an exception thrown with a full sentence by this package, or the
     * exception's class and message otherwise, because messages such as that of
     * {@link java.nio.file.AccessDeniedException} are only a path.
     */
    private static String describe(Exception e) {
        boolean ownMessage = e.getClass() == IOException.class || e.getClass() == IllegalArgumentException.class;
        return ownMessage ? e.getMessage() : e.toString();
    }
}
