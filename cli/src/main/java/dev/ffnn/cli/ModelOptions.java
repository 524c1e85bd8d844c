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
            description = "Save a checkpoint after every epoch as DIR/epoch-NNNN.safetensors; DIR is created if missing.")
    Path checkpointDirectory;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue the training saved in CHECKPOINT (from --save or --checkpoint-dir) up to --epochs in all."
                    + " The architecture, seed, batch size and learning rate come from the checkpoint.")
    Path resumeFile;

    /** Checks the output paths before any work starts. */
    void validate(DataOptions data) {
        if (saveFile != null) {
            String problem = OutputFile.checkWritable(saveFile);
            if (problem != null) {
                throw optionError("--save", saveFile.toString(), problem);
            }
            data.requireNotInput("--save", saveFile);
        }
        if (checkpointDirectory != null) {
            if (checkpointDirectory.toString().isEmpty()) {
                throw optionError("--checkpoint-dir", "''", "give a directory");
            }
            if (Files.exists(checkpointDirectory) && !Files.isDirectory(checkpointDirectory)) {
                throw optionError("--checkpoint-dir", checkpointDirectory.toString(), "it is a file; give a directory");
            }
        }
        if (resumeFile != null && resumeFile.toString().isEmpty()) {
            throw optionError("--resume", "''", "give a checkpoint file");
        }
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
        Files.createDirectories(checkpointDirectory);
        return new CheckpointWriter(checkpointDirectory, metadata);
    }

    /** Saves the trainer to {@code --save}, when given. */
    void saveFinal(Trainer trainer, Map<String, String> metadata) throws IOException {
        if (saveFile != null) {
            ModelFile.save(OutputFile.resolvedTarget(saveFile), trainer, metadata);
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
                ModelFile.save(checkpointFile(directory, record.epoch()), trainer, metadata);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
