package dev.ffnn.engine.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for safetensors headers, and a writer for the strings and objects they contain.
 *
 * <p>Values become {@link Map} (objects, in file order), {@link List} (arrays), {@link String}, {@link BigInteger}
 * (numbers without fraction or exponent), {@link Double} (other numbers), {@link Boolean} and {@link #NULL}.
 * Beyond the grammar the parser rejects duplicate keys, nesting deeper than {@link #MAX_DEPTH}, numbers longer
 * than {@link #MAX_NUMBER_LENGTH} characters, more than {@link #MAX_VALUES} values, and unpaired surrogate escapes, so no input makes it use more
 * memory than a small multiple of the text or recurse deeply.
 */
final class Json {

    /** The deepest nesting of arrays and objects accepted; a safetensors header needs 3. */
    static final int MAX_DEPTH = 64;

    /** The maximum length of a number, in characters; a 64-bit integer has at most 20. */
    static final int MAX_NUMBER_LENGTH = 40;

    /**
     * The maximum number of values (objects, arrays, strings, numbers and literals) in one text, so a large
     * header of tiny values cannot need many times its size in Java objects. A tensor entry has about 10.
     */
    static final int MAX_VALUES = 1_000_000;

    /** The JSON {@code null}, which a map cannot contain as a Java null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private final String text;
    private int position;
    private int valueCount;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses {@code text} as one JSON value with optional surrounding whitespace.
     *
     * @throws JsonException naming the character offset and the problem
     */
    static Object parse(String text) throws JsonException {
        Json parser = new Json(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.position != text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws JsonException {
        if (++valueCount > MAX_VALUES) {
            throw error("more than " + MAX_VALUES + " values");
        }
        if (position >= text.length()) {
            throw error("unexpected end of the JSON text");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character " + describe(c));
            }
        };
    }

    private Map<String, Object> object(int depth) throws JsonException {
        requireDepth(depth);
        position++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyStart = position;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (members.putIfAbsent(key, value) != null) {
                position = keyStart;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            char next = peek();
            position++;
            if (next == '}') {
                return members;
            }
            if (next != ',') {
                position--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws JsonException {
        requireDepth(depth);
        position++;
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth));
            skipWhitespace();
            char next = peek();
            position++;
            if (next == ']') {
                return Collections.unmodifiableList(elements);
            }
            if (next != ',') {
                position--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonException {
        position++;
        StringBuilder builder = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return builder.toString();
            }
            if (c < 0x20) {
                position--;
                throw error("control character " + describe(c) + " in a string; escape it");
            }
            if (c != '\\') {
                builder.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("unterminated escape");
            }
            char escape = text.charAt(position++);
            switch (escape) {
                case '"', '\\', '/' -> builder.append(escape);
                case 'b' -> builder.append('\b');
                case 'f' -> builder.append('\f');
                case 'n' -> builder.append('\n');
                case 'r' -> builder.append('\r');
                case 't' -> builder.append('\t');
                case 'u' -> builder.append(unicodeEscape());
                default -> {
                    position--;
                    throw error("invalid escape \\" + escape);
                }
            }
        }
    }

    /** Reads the four hex digits after {@code \\u}, and a second escape when the first is a high surrogate. */
    private String unicodeEscape() throws JsonException {
        char first = hex4();
        if (Character.isLowSurrogate(first)) {
            throw error("unpaired low surrogate \\u" + Integer.toHexString(first));
        }
        if (!Character.isHighSurrogate(first)) {
            return String.valueOf(first);
        }
        if (!text.startsWith("\\u", position)) {
            throw error("unpaired high surrogate \\u" + Integer.toHexString(first));
        }
        position += 2;
        char second = hex4();
        if (!Character.isLowSurrogate(second)) {
            throw error("high surrogate \\u" + Integer.toHexString(first) + " is not followed by a low surrogate");
        }
        return new String(new char[]{first, second});
    }

    private char hex4() throws JsonException {
        if (position + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(position + i), 16);
            if (digit < 0 || text.charAt(position + i) > 'f') {
                throw error("invalid hex digit in a \\u escape");
            }
            value = value * 16 + digit;
        }
        position += 4;
        return (char) value;
    }

    private Object number() throws JsonException {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            skipDigits();
        } else {
            throw error("expected a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            position++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.'");
            }
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            skipDigits();
        }
        if (position - start > MAX_NUMBER_LENGTH) {
            position = start;
            throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        String literal = text.substring(start, position);
        return integer ? new BigInteger(literal) : Double.valueOf(literal);
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            position++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!text.startsWith(word, position)) {
            throw error("unexpected character " + describe(text.charAt(position)));
        }
        position += word.length();
        return value;
    }

    private void requireDepth(int depth) throws JsonException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char expected) throws JsonException {
        if (peek() != expected) {
            throw error("expected '" + expected + "'");
        }
        position++;
    }

    /** Returns the character at the position, or {@code \0} at the end, which no rule accepts there. */
    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private JsonException error(String problem) {
        return new JsonException(problem + " at character " + position);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** Returns {@code value} as a JSON string literal, escaping quotes, backslashes and control characters. */
    static String quote(String value) {
        StringBuilder builder = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> builder.append("\\\"");
                case '\\' -> builder.append("\\\\");
                case '\n' -> builder.append("\\n");
                case '\r' -> builder.append("\\r");
                case '\t' -> builder.append("\\t");
                default -> {
                    if (c < 0x20) {
                        builder.append(String.format("\\u%04x", (int) c));
                    } else {
                        builder.append(c);
                    }
                }
            }
        }
        return builder.append('"').toString();
    }

    /** A JSON text that is malformed or exceeds a limit; the message gives the problem and the character offset. */
    static final class JsonException extends Exception {

        JsonException(String message) {
            super(message);
        }
    }
}
