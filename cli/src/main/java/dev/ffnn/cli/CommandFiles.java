package dev.ffnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The files one command run reads and writes, checked against each other before any is opened for writing.
 *
 * <p>{@link #check()} rejects, as an option error (exit status 2) that names both options, the path and the fix:
 * an output that {@link OutputFile#checkWritable} rejects; an output directory that cannot be created or written;
 * and an output that is an input or another output. Files are compared with {@link OutputFile#isSameFile}: by
 * device and inode when both exist, so a hard link or a symbolic link to an input counts as that input, and by real
 * directory and name otherwise. A directory output, such as {@code --checkpoint-dir}, is compared through the names
 * of the files it receives in this run.
 */
final class CommandFiles {

    /** A file named by a command-line option. */
    private record NamedFile(String option, Path path) {
    }

    /**
     * A directory an option writes into, created when missing, and the file names it receives.
     *
     * @param describe describes the file of a name that {@code receives} accepts, such as "the checkpoint of epoch 3"
     */
    private record OutputDirectory(String option, Path directory, Predicate<String> receives,
                                   Function<String, String> describe) {
    }

    private final CommandLine commandLine;
    private final List<NamedFile> inputs = new ArrayList<>();
    private final List<NamedFile> outputs = new ArrayList<>();
    private final List<OutputDirectory> directories = new ArrayList<>();

    CommandFiles(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    /** Adds a file the run reads; a null path is skipped. */
    CommandFiles input(String option, Path file) {
        if (file != null) {
            inputs.add(new NamedFile(option, file));
        }
        return this;
    }

    /** Adds a file the run writes; a null path is skipped. */
    CommandFiles output(String option, Path file) {
        if (file != null) {
            outputs.add(new NamedFile(option, file));
        }
        return this;
    }

    /**
     * Adds a directory the run creates when missing and writes the files named by {@code receives} into; a null
     * directory is skipped.
     *
     * @param describe returns a description of the file with a name that {@code receives} accepts
     */
    CommandFiles outputDirectory(String option, Path directory, Predicate<String> receives,
                                 Function<String, String> describe) {
        if (directory != null) {
            directories.add(new OutputDirectory(option, directory, receives, describe));
        }
        return this;
    }

    /** Checks every output, then every output against every input and the outputs before it. */
    void check() {
        for (NamedFile output : outputs) {
            String problem = OutputFile.checkWritable(output.path());
            if (problem != null) {
                throw error(output, problem);
            }
        }
        for (OutputDirectory directory : directories) {
            checkDirectory(directory);
        }
        for (int i = 0; i < outputs.size(); i++) {
            NamedFile output = outputs.get(i);
            for (NamedFile input : inputs) {
                if (OutputFile.isSameFile(output.path(), input.path())) {
                    throw error(output, "it is the same file as the " + input.option() + " input " + input.path()
                            + ", which the run would overwrite; give another file name");
                }
            }
            for (NamedFile earlier : outputs.subList(0, i)) {
                if (OutputFile.isSameFile(output.path(), earlier.path())) {
                    throw error(output, "it is the same file as " + earlier.option() + " " + earlier.path()
                            + ", so one would replace the other; give each output a file name of its own");
                }
            }
        }
    }

    /**
     * Checks that the directory can be written, and that none of the files it receives in this run is an input,
     * another output, or a file that cannot be replaced.
     */
    private void checkDirectory(OutputDirectory directory) {
        NamedFile named = new NamedFile(directory.option(), directory.directory());
        for (NamedFile input : inputs) {
            if (OutputFile.isSameFile(directory.directory(), input.path())) {
                throw error(named, "it is the " + input.option() + " input, not a directory; give a directory");
            }
        }
        String problem = OutputFile.checkDirectoryWritable(directory.directory());
        if (problem != null) {
            throw error(named, problem);
        }

        // A file given by path in the directory, whether it exists yet or not
        List<NamedFile> others = new ArrayList<>(inputs);
        others.addAll(outputs);
        for (NamedFile other : others) {
            Path name = OutputFile.followLinks(other.path()).getFileName();
            if (name == null || !directory.receives().test(name.toString())) {
                continue;
            }
            Path inDirectory = directory.directory().resolve(name);
            if (OutputFile.isSameFile(inDirectory, other.path())) {
                throw clash(directory, inDirectory, other);
            }
        }

        // A file already in the directory that links to another file
        if (!Files.isDirectory(directory.directory())) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.directory(),
                entry -> directory.receives().test(entry.getFileName().toString()))) {
            for (Path entry : entries) {
                String entryProblem = OutputFile.checkWritable(entry);
                if (entryProblem != null) {
                    throw error(named, entry + ", " + directory.describe().apply(entry.getFileName().toString())
                            + ", cannot be written: " + entryProblem);
                }
                for (NamedFile other : others) {
                    if (OutputFile.isSameFile(entry, other.path())) {
                        throw clash(directory, entry, other);
                    }
                }
            }
        } catch (IOException e) {
            throw error(named, "listing the directory failed (" + e.getMessage() + "); check its permissions");
        }
    }

    private ParameterException clash(OutputDirectory directory, Path file, NamedFile other) {
        String description = directory.describe().apply(file.getFileName().toString());
        if (inputs.contains(other)) {
            return error(new NamedFile(directory.option(), directory.directory()), "it would replace the "
                    + other.option() + " input " + other.path() + " with " + description + " (" + file + "); give"
                    + " another directory");
        }
        return error(other, "it is the same file as " + file + ", " + description + " that " + directory.option()
                + " writes, so one would replace the other; give another file name");
    }

    private ParameterException error(NamedFile file, String reason) {
        return OptionChecks.optionError(commandLine, file.option(), file.path().toString(), reason);
    }
}
