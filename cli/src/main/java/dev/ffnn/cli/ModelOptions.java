package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.io.ModelFile;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The model file options of {@code train} (a picocli mixin): the final model, a checkpoint per epoch, and the
 * checkpoint to resume from. Every file is a safetensors checkpoint written by {@link ModelFile}, atomically.
 */
final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Save the trained network, with its optimizer state, to FILE (safetensors) after the last epoch.")
    Path saveFile;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Save a checkpoint after every epoch as DIR/epoch-NNNN.safetensors; DIR is created if missing."
                    + " Checkpoints of earlier runs are replaced.")
    Path checkpointDirectory;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue the training saved in CHECKPOINT (from --save or --checkpoint-dir) up to --epochs in all."
                    + " The architecture, seed, batch size and learning rate come from the checkpoint.")
    Path resumeFile;

    /** Checks the options' values before any file is read; {@link #addFiles} adds the files to the file check. */
    void validate() {
        if (saveFile != null && saveFile.toString().isEmpty()) {
            throw optionError("--save", "''", "give a file name such as model.safetensors");
        }
        if (checkpointDirectory != null && checkpointDirectory.toString().isEmpty()) {
            throw optionError("--checkpoint-dir", "''", "give a directory");
        }
        if (resumeFile != null && resumeFile.toString().isEmpty()) {
            throw optionError("--resume", "''", "give a checkpoint file");
        }
    }

    /**
     * Adds the checkpoint to resume from, the final model and the checkpoints of epochs {@code firstEpoch} to
     * {@code lastEpoch} to {@code files}.
     */
    void addFiles(CommandFiles files, int firstEpoch, int lastEpoch) {
        files.input("--resume", resumeFile);
        files.output("--save", saveFile);
        files.outputDirectory("--checkpoint-dir", checkpointDirectory,
                name -> checkpointEpoch(name, firstEpoch, lastEpoch) > 0,
                name -> "the checkpoint of epoch " + checkpointEpoch(name, firstEpoch, lastEpoch));
    }

    /** Returns the epoch of checkpoint file name {@code name} when it is within the range, else 0. */
    private static int checkpointEpoch(String name, int firstEpoch, int lastEpoch) {
        if (!name.matches("epoch-[0-9]{4,10}\\.safetensors")) {
            return 0;
        }
        long epoch = Long.parseLong(name.substring("epoch-".length(), name.length() - ".safetensors".length()));
        boolean inRange = epoch >= firstEpoch && epoch <= lastEpoch;
        return inRange && checkpointFile(Path.of(""), (int) epoch).toString().equals(name) ? (int) epoch : 0;
    }

    /**
     * Reads the header of the {@code --resume} checkpoint, or returns null without {@code --resume}.
     *
     * @throws IOException if the file cannot be read or is not a safetensors file
     */
    ModelFile readCheckpoint() throws IOException {
        return resumeFile == null ? null : ModelFile.read(resumeFile);
    }

    /** Returns the per-epoch checkpoint writer, or null without {@code --checkpoint-dir}; creates the directory. */
    TrainingListener checkpointWriter(Map<String, String> metadata) throws IOException {
        if (checkpointDirectory == null) {
            return null;
        }
        try {
            Files.createDirectories(checkpointDirectory);
        } catch (IOException e) {
            throw OutputFile.writeFailed(checkpointDirectory, e);
        }
        return new CheckpointWriter(checkpointDirectory, metadata);
    }

    /** Saves the trainer to {@code --save}, when given. */
    void saveFinal(Trainer trainer, Map<String, String> metadata) throws IOException {
        if (saveFile != null) {
            save(saveFile, trainer, metadata);
        }
    }

    /**
     * Saves a checkpoint of the trainer to the file {@code file} leads to, following symbolic links as every output
     * does.
     *
     * @throws IOException naming the file, the reason and the fix; the old file, if any, is then unchanged
     */
    static void save(Path file, Trainer trainer, Map<String, String> metadata) throws IOException {
        Path target = OutputFile.resolvedTarget(file);
        try {
            ModelFile.save(target, trainer, metadata);
        } catch (IOException e) {
            throw OutputFile.writeFailed(target, e);
        }
    }

    /** Returns the checkpoint file of {@code epoch} in {@code directory}, such as {@code epoch-0003.safetensors}. */
    static Path checkpointFile(Path directory, int epoch) {
        return directory.resolve(String.format(Locale.ROOT, "epoch-%04d.safetensors", epoch));
    }

    private CommandLine.ParameterException optionError(String option, String value, String reason) {
        return OptionChecks.optionError(spec.commandLine(), option, value, reason);
    }

    /** Saves a checkpoint after each epoch; a failed write stops training with the error. */
    private static final class CheckpointWriter implements TrainingListener {

        private final Path directory;
        private final Map<String, String> metadata;
        private Trainer trainer;

        CheckpointWriter(Path directory, Map<String, String> metadata) {
            this.directory = directory;
            this.metadata = metadata;
        }

        @Override
        public void trainingStarted(Trainer trainer, int epochsDone) {
            this.trainer = trainer;
        }

        @Override
        public void epochEnded(EpochRecord record) {
            try {
                save(checkpointFile(directory, record.epoch()), trainer, metadata);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
