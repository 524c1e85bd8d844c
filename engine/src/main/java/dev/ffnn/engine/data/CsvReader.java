package dev.ffnn.engine.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A streaming reader of the lines and fields of one UTF-8 CSV file, with only the current line on the heap.
 *
 * <p>Lines end with {@code \n} or {@code \r\n}; any other carriage return, such as the line ends of a file
 * with {@code \r} alone, is an error. A UTF-8 byte order mark before the first line is skipped. A field
 * may be enclosed in double quotes, inside which the delimiter is literal and {@code ""} is one quote; a quoted field
 * cannot span lines. Spaces and tabs around a field are removed. Every problem is a {@link DatasetFormatException}
 * naming the file and the line.
 */
final class CsvReader implements Closeable {

    /** Maximum bytes of one line, so a file without line breaks cannot exhaust the heap. */
    static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Path file;
    private final InputStream in;
    private final char delimiter;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int bufferPosition;
    private int bufferLength;
    private byte[] lineBytes = new byte[1024]; // the bytes of the current line, grown up to MAX_LINE_BYTES
    private final StringBuilder line = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    private long lineNumber; // 1-based number of the line in `line`, 0 before the first

    private CsvReader(Path file, InputStream in, char delimiter) {
        this.file = file;
        this.in = in;
        this.delimiter = delimiter;
    }

    /**
     * Opens {@code file}, which must be a regular file.
     *
     * @throws FileSystemException if the file is missing, not a regular file or not readable
     */
    static CsvReader open(Path file, char delimiter) throws IOException {
        InputPaths.requireRegularFile(file, "CSV");
        InputStream stream;
        try {
            stream = Files.newInputStream(file);
        } catch (FileSystemException e) {
            throw InputPaths.describe(file, "file", e);
        }
        return new CsvReader(file, stream, delimiter);
    }

    Path file() {
        return file;
    }

    /** Returns the 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /**
     * Reads the next line, without its line break, and returns false at the end of the file.
     *
     * <p>Lines are split on the byte {@code \n}, which UTF-8 never uses inside a character, and then decoded, so
     * an invalid byte is reported on its own line.
     *
     * @throws DatasetFormatException if the line is longer than {@link #MAX_LINE_BYTES} or is not valid UTF-8
     */
    boolean nextLine() throws IOException {
        int length = 0;
        boolean readAny = false;
        while (true) {
            if (bufferPosition == bufferLength && !fill()) {
                break;
            }
            readAny = true;
            int end = bufferPosition;
            while (end < bufferLength && buffer[end] != '\n') {
                end++;
            }
            int chunk = end - bufferPosition;
            if (length + chunk > MAX_LINE_BYTES) {
                throw new DatasetFormatException(file, "line " + (lineNumber + 1) + " is longer than "
                        + String.format("%,d", MAX_LINE_BYTES) + " bytes: this is not a CSV file of samples,"
                        + " or its line breaks are missing");
            }
            if (length + chunk > lineBytes.length) {
                lineBytes = Arrays.copyOf(lineBytes, Math.min(MAX_LINE_BYTES, Math.max(2 * lineBytes.length,
                        length + chunk)));
            }
            System.arraycopy(buffer, bufferPosition, lineBytes, length, chunk);
            length += chunk;
            bufferPosition = end;
            if (end < bufferLength) {
                bufferPosition++; // the '\n'
                break;
            }
        }
        if (!readAny) {
            return false;
        }
        lineNumber++;
        if (length > 0 && lineBytes[length - 1] == '\r') {
            length--;
        }
        decode(length);
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
            line.deleteCharAt(0);
        }
        int carriageReturn = line.indexOf("\r");
        if (carriageReturn >= 0) {
            throw new DatasetFormatException(file, "line " + lineNumber + " has a carriage return (\\r) at character "
                    + (carriageReturn + 1) + " that does not end the line: lines must end in \\n or \\r\\n, and"
                    + " a file with \\r alone (classic Mac OS) needs converting first, e.g. with tr '\\r' '\\n'");
        }
        return true;
    }

    /** Decodes {@code lineBytes[0 .. length - 1]} into {@code line}; ASCII, the common case, is copied directly. */
    private void decode(int length) throws DatasetFormatException {
        line.setLength(0);
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = lineBytes[i] >= 0;
        }
        if (ascii) {
            for (int i = 0; i < length; i++) {
                line.append((char) lineBytes[i]);
            }
            return;
        }
        try {
            line.append(decoder.reset().decode(ByteBuffer.wrap(lineBytes, 0, length)));
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file, "line " + lineNumber + " is not valid UTF-8 text: save the file as"
                    + " UTF-8 (or ASCII) text", e);
        }
    }

    /** Returns whether the current line contains only spaces and tabs, or nothing. */
    boolean isBlank() {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits the current line into fields and returns them; the list is reused by the next call.
     *
     * @throws DatasetFormatException if a quoted field is not closed, or text follows its closing quote
     */
    List<String> fields() throws DatasetFormatException {
        fields.clear();
        int length = line.length();
        int i = 0;
        while (true) {
            i = skipSpaces(i);
            if (i < length && line.charAt(i) == '"') {
                i = readQuoted(i);
            } else {
                int start = i;
                while (i < length && line.charAt(i) != delimiter) {
                    i++;
                }
                fields.add(line.substring(start, i).strip());
            }
            if (i >= length) {
                return fields;
            }
            i++; // the delimiter
            if (i == length) {
                fields.add(""); // a delimiter at the end of the line opens an empty last field
                return fields;
            }
        }
    }

    /** Reads the quoted field that starts at {@code open}, adds it, and returns the index after it. */
    private int readQuoted(int open) throws DatasetFormatException {
        StringBuilder value = new StringBuilder();
        int i = open + 1;
        while (true) {
            if (i >= line.length()) {
                throw new DatasetFormatException(file, "line " + lineNumber + ", column " + (fields.size() + 1)
                        + ": the quote opened at character " + (open + 1) + " is not closed on this line;"
                        + " close it, or remove it (quoted fields cannot span lines)");
            }
            char c = line.charAt(i);
            if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                value.append('"');
                i += 2;
            } else if (c == '"') {
                i = skipSpaces(i + 1);
                if (i < line.length() && line.charAt(i) != delimiter) {
                    throw new DatasetFormatException(file, "line " + lineNumber + ", column " + (fields.size() + 1)
                            + ": text follows the closing quote at character " + (i + 1)
                            + "; put the delimiter after the quote, or write a quote inside quotes as \"\"");
                }
                fields.add(value.toString().strip());
                return i;
            } else {
                value.append(c);
                i++;
            }
        }
    }

    /** Returns the first index from {@code i} that is not a space or tab, unless that character is the delimiter. */
    private int skipSpaces(int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t') && line.charAt(i) != delimiter) {
            i++;
        }
        return i;
    }

    /** Refills the buffer and returns false at the end of the file. */
    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        bufferPosition = 0;
        bufferLength = read;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
