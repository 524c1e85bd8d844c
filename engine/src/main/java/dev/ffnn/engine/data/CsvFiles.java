package dev.ffnn.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Loads a classification data set from a CSV file: one sample per line, one column of integer class labels from 0,
 * and every other column a numeric feature.
 *
 * <p>The format ({@link CsvFormat}) gives the delimiter, the header, and the label column by number (from 1) or by
 * header name. A feature is a decimal number such as {@code 3}, {@code -0.5} or {@code 1.5e-3}; a label is a
 * non-negative integer written with digits. A file without labels ({@link CsvFormat#NO_LABEL}) has features in
 * every column and label 0 for every sample. Blank lines at the end of the file are ignored.
 *
 * <p>A {@link DatasetFormatException} names the file and the line, and the column where there is one. It rejects a
 * blank line before the last sample and a line with another number of fields than the first. It also rejects an
 * empty field, a field that is not a number, NaN or infinity, and a number outside the range of a double. A label
 * that is not an integer is rejected, and so is a label of {@link #MAX_CLASSES} or more, or outside the class range,
 * whose message also names the sample (counted from 0).
 *
 * <p>The file is streamed twice, so only one line is on the heap at a time: the first pass checks every line and
 * counts the samples, the second copies them into a {@link DenseDataset} of doubles. A file that changes between the
 * two passes is rejected.
 */
public final class CsvFiles {

    /**
     * The largest class count a CSV file may imply: labels run from 0 to {@code MAX_CLASSES - 1}. A network needs
     * one output per class, so a label such as 999999999 (a typo, or a column of IDs) is a data error here rather
     * than a network too large for memory later.
     */
    public static final int MAX_CLASSES = 65_536;
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");

    private CsvFiles() {
    }

    /**
     * Loads {@code file} with the class count set to the maximum label + 1.
     *
     * @throws java.nio.file.NoSuchFileException if the file is missing
     * @throws DatasetFormatException            if the file is malformed
     * @throws IOException                       if the path is not a regular file or cannot be read
     */
    public static DenseDataset load(Path file, CsvFormat format) throws IOException {
        return read(file, format, 0, "inferred from the labels of this file");
    }

    /**
     * Loads {@code file}, whose labels must all be below {@code classCount}.
     *
     * @param classCountSource where the class count comes from, for the message of a label that is not below it,
     *                         such as {@code "of the training set train.csv"}
     * @throws IllegalArgumentException if {@code classCount < 1}
     * @throws DatasetFormatException   if the file is malformed or a label is not below {@code classCount}
     * @throws IOException              if the path is missing, not a regular file or cannot be read
     */
    public static DenseDataset load(Path file, CsvFormat format, int classCount, String classCountSource)
            throws IOException {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count " + classCount + " for " + file
                    + " is invalid: it must be >= 1");
        }
        return read(file, format, classCount, Objects.requireNonNull(classCountSource, "classCountSource"));
    }

    /** The layout of a file found by the first pass. */
    private record Layout(boolean hasHeader, int fieldCount, int labelIndex, String labelName, int sampleCount,
                          int classCount) {

        /** Returns the features per sample: every field but the label's, if there is a label column. */
        int featureCount() {
            return labelIndex < 0 ? fieldCount : fieldCount - 1;
        }
    }

    private static DenseDataset read(Path file, CsvFormat format, int classCount, String classCountSource)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Layout layout = scan(file, format, classCount, classCountSource);
        try (CsvReader reader = CsvReader.open(file, format.delimiter())) {
            if (layout.hasHeader()) {
                reader.nextLine();
            }
            DenseDataset data = DenseDataset.generate(fileName(file), layout.sampleCount(), layout.featureCount(),
                    layout.classCount(), (sample, features) -> {
                        try {
                            if (!nextSampleLine(reader)) {
                                throw changed(file, "it has fewer samples");
                            }
                            int label = parseSample(reader, layout, features);
                            checkLabel(reader, label, sample, layout.classCount(), classCountSource);
                            return label;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            if (nextSampleLine(reader)) {
                data.close();
                throw changed(file, "it has more samples");
            }
            return data;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Reads every line once: finds the header and label column, checks every value, and counts the samples. */
    private static Layout scan(Path file, CsvFormat format, int givenClassCount, String classCountSource)
            throws IOException {
        try (CsvReader reader = CsvReader.open(file, format.delimiter())) {
            if (!nextSampleLine(reader)) {
                throw new DatasetFormatException(file, "has no samples: the file is empty or blank");
            }
            List<String> first = reader.fields();
            boolean hasHeader = switch (format.header()) {
                case PRESENT -> true;
                case ABSENT -> false;
                case AUTO -> first.stream().anyMatch(field -> !isNumber(field));
            };
            int fieldCount = first.size();
            String[] names = hasHeader ? first.toArray(String[]::new) : null;
            int labelIndex = labelIndex(reader, format, names, fieldCount);
            if (fieldCount < 2 && labelIndex >= 0) {
                throw new DatasetFormatException(file, "line " + reader.lineNumber() + " has one field, so there is no"
                        + " feature beside the label: check the delimiter (" + describe(format.delimiter()) + ")");
            }
            String labelName = names == null || labelIndex < 0 ? "" : " ('" + names[labelIndex] + "')";
            Layout layout = new Layout(hasHeader, fieldCount, labelIndex, labelName, 0, givenClassCount);

            // Check every sample and find the largest label.
            double[] features = new double[layout.featureCount()];
            long samples = 0;
            int maxLabel = -1;
            boolean atSample = !hasHeader || nextSampleLine(reader);
            while (atSample) {
                if (samples == Integer.MAX_VALUE) {
                    throw new DatasetFormatException(file, "line " + reader.lineNumber() + ": more than "
                            + Integer.MAX_VALUE + " samples, the maximum of a data set; split the file");
                }
                int label = parseSample(reader, layout, features);
                checkLabel(reader, label, samples, givenClassCount, classCountSource);
                maxLabel = Math.max(maxLabel, label);
                samples++;
                atSample = nextSampleLine(reader);
            }
            if (samples == 0) {
                throw new DatasetFormatException(file, "has a header but no samples: add sample lines after line 1");
            }
            int classCount = givenClassCount > 0 ? givenClassCount : maxLabel + 1;
            return new Layout(hasHeader, fieldCount, labelIndex, labelName, (int) samples, classCount);
        }
    }

    /**
     * Moves to the next line that is not blank, and returns false at the end of the file.
     *
     * @throws DatasetFormatException if blank lines are followed by another line
     */
    private static boolean nextSampleLine(CsvReader reader) throws IOException {
        if (!reader.nextLine()) {
            return false;
        }
        if (!reader.isBlank()) {
            return true;
        }
        long blankLine = reader.lineNumber();
        while (reader.nextLine()) {
            if (!reader.isBlank()) {
                throw new DatasetFormatException(reader.file(), "line " + blankLine + " is blank but line "
                        + reader.lineNumber() + " has data: remove the blank line, or fill in its sample");
            }
        }
        return false;
    }

    /** Returns the 0-based index of the label column, or -1 for a file without one. */
    private static int labelIndex(CsvReader reader, CsvFormat format, String[] names, int fieldCount)
            throws DatasetFormatException {
        if (format.isUnlabeled()) {
            return -1;
        }
        Path file = reader.file();
        if (format.labelColumnIsNumber()) {
            int number = format.labelColumnNumber();
            if (number > fieldCount) {
                throw new DatasetFormatException(file, "label column " + format.labelColumn() + " does not exist: line "
                        + reader.lineNumber() + " has " + Counts.of(fieldCount, "column") + "; give a column from 1 to "
                        + fieldCount + ", or check the delimiter (" + describe(format.delimiter()) + ")");
            }
            return number - 1;
        }
        if (names == null) {
            throw new DatasetFormatException(file, "label column '" + format.labelColumn() + "' is a name, but line 1"
                    + " is a sample, not a header: give the label column by number, or add a header line");
        }
        int found = -1;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(format.labelColumn())) {
                if (found >= 0) {
                    throw new DatasetFormatException(file, "label column '" + format.labelColumn()
                            + "' is the name of columns " + (found + 1) + " and " + (i + 1)
                            + ": rename one, or give the label column by number");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new DatasetFormatException(file, "label column '" + format.labelColumn() + "' is not in the header"
                    + " (line 1: " + abbreviate(String.join(", ", names)) + "); give one of those names or a column"
                    + " number");
        }
        return found;
    }

    /**
     * Parses the current line into {@code features} and returns its label, which is not yet checked against the
     * class count.
     */
    private static int parseSample(CsvReader reader, Layout layout, double[] features) throws DatasetFormatException {
        List<String> fields = reader.fields();
        Path file = reader.file();
        if (fields.size() != layout.fieldCount()) {
            throw new DatasetFormatException(file, "line " + reader.lineNumber() + " has "
                    + Counts.of(fields.size(), "field") + " but line 1 has " + layout.fieldCount()
                    + ": every line needs the same columns; check for a missing or extra delimiter");
        }
        int label = layout.labelIndex() < 0 ? 0 : -1;
        int feature = 0;
        for (int column = 0; column < fields.size(); column++) {
            String field = fields.get(column);
            if (field.isEmpty()) {
                throw new DatasetFormatException(file, "line " + reader.lineNumber() + ", column " + (column + 1)
                        + (column == layout.labelIndex() ? layout.labelName() : "")
                        + " is empty: fill in the missing value, or remove the sample");
            }
            if (column == layout.labelIndex()) {
                label = parseLabel(reader, field, column, layout.labelName());
            } else {
                features[feature++] = parseFeature(reader, field, column);
            }
        }
        return label;
    }

    private static int parseLabel(CsvReader reader, String field, int column, String labelName)
            throws DatasetFormatException {
        String where = "line " + reader.lineNumber() + ", column " + (column + 1) + labelName + ": label '"
                + abbreviate(field) + "'";
        boolean negative = field.startsWith("-") && field.length() > 1;
        String digits = negative ? field.substring(1) : field;
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DatasetFormatException(reader.file(), where + " is not a class number: labels must be integers"
                    + " from 0, written with digits; map class names to 0, 1, 2, ... first");
        }
        if (negative) {
            throw new DatasetFormatException(reader.file(), where + " is negative: labels must be integers from 0");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 6 || Integer.parseInt(significant) >= MAX_CLASSES) {
            throw new DatasetFormatException(reader.file(), where + " is too large: labels must be below "
                    + MAX_CLASSES + ", the largest class count ffnn takes, since a network needs one output per"
                    + " class; check the label column (--label-column)");
        }
        return Integer.parseInt(significant);
    }

    private static void checkLabel(CsvReader reader, int label, long sample, int classCount, String classCountSource)
            throws DatasetFormatException {
        if (classCount > 0 && label >= classCount) {
            throw new DatasetFormatException(reader.file(), "label " + label + " of sample " + sample + " (line "
                    + reader.lineNumber() + ") is outside [0, " + classCount + "), the class count " + classCountSource
                    + ": fix the label, or pass files of the same data set");
        }
    }

    private static double parseFeature(CsvReader reader, String field, int column) throws DatasetFormatException {
        String where = "line " + reader.lineNumber() + ", column " + (column + 1) + ": '" + abbreviate(field) + "'";
        if (NON_FINITE.contains(field.toLowerCase(Locale.ROOT))) {
            throw new DatasetFormatException(reader.file(), where + " is not a finite number: every feature must be"
                    + " finite, so clean or impute it");
        }
        if (!isNumber(field)) {
            throw new DatasetFormatException(reader.file(), where + " is not a number: features must be decimal"
                    + " numbers such as 3, -0.5 or 1.5e-3");
        }
        double value = Double.parseDouble(field);
        if (Double.isInfinite(value)) {
            throw new DatasetFormatException(reader.file(), where + " is outside the range of a double (about"
                    + " ±1.8e308): rescale the feature");
        }
        return value;
    }

    /** Returns whether {@code text} is a decimal number: {@code [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?}. */
    static boolean isNumber(String text) {
        int length = text.length();
        int i = 0;
        if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int integerDigits = countDigits(text, i);
        i += integerDigits;
        int fractionDigits = 0;
        if (i < length && text.charAt(i) == '.') {
            i++;
            fractionDigits = countDigits(text, i);
            i += fractionDigits;
        }
        if (integerDigits == 0 && fractionDigits == 0) {
            return false;
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = countDigits(text, i);
            if (exponentDigits == 0) {
                return false;
            }
            i += exponentDigits;
        }
        return i == length;
    }

    private static int countDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    private static DatasetFormatException changed(Path file, String how) {
        return new DatasetFormatException(file, "the file changed while it was read (" + how + " than a moment"
                + " before): load it again once nothing writes to it");
    }

    private static String describe(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "a tab";
            case ' ' -> "a space";
            default -> "'" + delimiter + "'";
        };
    }

    /** Shortens long text for a message, so one bad value cannot flood the terminal. */
    /** Shortens a field to 60 characters for a message, with control characters such as NUL written as {@code \u0000}. */
    private static String abbreviate(String text) {
        String shown = text.length() <= 60 ? text : text.substring(0, 57) + "...";
        StringBuilder escaped = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (Character.isISOControl(c)) {
                escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
