package dev.ffnn.engine.data;

import java.util.Objects;

/**
 * How to read a CSV file of labelled samples: the delimiter, whether the first line is a header, and which
 * column is the label.
 *
 * @param delimiter   the character between fields; not a double quote, a line break, or a character of a number
 *                    (a digit, {@code + - . e E})
 * @param header      whether the first line contains column names
 * @param labelColumn the label column: a column number counted from 1 (digits only), a column name in the
 *                    header, or {@value #NO_LABEL} for a file of features only, whose samples all get label 0
 */
public record CsvFormat(char delimiter, Header header, String labelColumn) {

    /** Comma-separated, header detected, label in the first column: the layout of the common MNIST CSV files. */
    public static final CsvFormat DEFAULT = new CsvFormat(',', Header.AUTO, "1");

    /** The label column of a file without labels: every column is a feature (for prediction only). */
    public static final String NO_LABEL = "none";

    /** Returns whether the file has no label column ({@value #NO_LABEL}). */
    public boolean isUnlabeled() {
        return labelColumn.equals(NO_LABEL);
    }

    /** Whether the first line of a CSV file contains column names. */
    public enum Header {
        /** The first line is a header when one of its fields is not a number. */
        AUTO,
        /** The first line is a header. */
        PRESENT,
        /** Every line is a sample. */
        ABSENT
    }

    /**
     * Checks the delimiter and the label column.
     *
     * @throws IllegalArgumentException if the delimiter cannot separate numbers, or the label column is blank or the
     *                                  number 0
     */
    public CsvFormat {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(labelColumn, "labelColumn");
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || "0123456789+-.eE".indexOf(delimiter) >= 0) {
            throw new IllegalArgumentException("delimiter '" + delimiter + "' is invalid: it cannot be a double quote, a"
                    + " line break or a character of a number; use ',', ';', a tab or a space");
        }
        if (labelColumn.isBlank()) {
            throw new IllegalArgumentException("label column is blank: give a column number from 1 or a header name");
        }
        if (isColumnNumber(labelColumn) && columnNumber(labelColumn) < 1) {
            throw new IllegalArgumentException("label column " + labelColumn
                    + " is invalid: column numbers start at 1");
        }
    }

    /** Returns whether the label column is given by number rather than by name. */
    public boolean labelColumnIsNumber() {
        return isColumnNumber(labelColumn);
    }

    /** Returns the 1-based label column number, or −1 when the label column is a name. */
    int labelColumnNumber() {
        return labelColumnIsNumber() ? columnNumber(labelColumn) : -1;
    }

    private static boolean isColumnNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Returns the number, or {@link Integer#MAX_VALUE} for one too large for an int, which no line reaches. */
    private static int columnNumber(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
