package dev.ffnn.cblas;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The function prototypes and enum constants of {@code cblas.h}, parsed with regular expressions.
 *
 * <p>The parser handles only what {@code cblas.h} uses for the bound functions: comments, preprocessor
 * lines, {@code OPENBLAS_CONST}, {@code const}, {@code blasint}, {@code enum CBLAS_*}, {@code int},
 * {@code double}, {@code void} and pointers. It builds descriptors from layouts of its own, the ones
 * jextract emits on Linux x86-64, so a wrong layout in {@code cblas_h} cannot hide in the expectation.
 */
final class CblasHeader {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    // withTargetLayout is restricted because an address read with this layout gets a segment of the target's
    // size, unchecked against real memory. The tests only compare descriptors and never read an address with it.
    @SuppressWarnings("restricted")
    static final AddressLayout POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    private static final Pattern BLOCK_COMMENT = Pattern.compile("(?s)/\\*.*?\\*/");
    private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
    private static final Pattern CONST_QUALIFIER = Pattern.compile("\\b(OPENBLAS_CONST|const)\\b");
    private static final Pattern PROTOTYPE =
            Pattern.compile("(?<returnType>[A-Za-z_][\\w\\s*]*?)\\s*\\b(?<name>[A-Za-z_]\\w*)\\s*\\((?<parameters>[^()]*)\\)");
    private static final Pattern PARAMETER = Pattern.compile("(?<type>.*?)\\s*\\b(?<name>[A-Za-z_]\\w*)");
    private static final Pattern ENUM = Pattern.compile("enum\\s+\\w+\\s*\\{(?<body>[^}]*)}");
    private static final Pattern ENUM_ENTRY = Pattern.compile("\\s*(?<name>\\w+)\\s*=\\s*(?<value>-?\\d+)\\s*");

    /**
     * One parameter of a prototype.
     *
     * @param type the C type without qualifiers, such as {@code double *}
     * @param name the parameter name as written in the header
     */
    record Parameter(String type, String name) {
    }

    /**
     * One function prototype.
     *
     * @param returnType the C return type without qualifiers
     * @param name       the function name
     * @param parameters the parameters in order, empty for {@code (void)}
     */
    record Prototype(String returnType, String name, List<Parameter> parameters) {

        /** Returns the descriptor that jextract would derive from this prototype. */
        FunctionDescriptor descriptor() {
            MemoryLayout[] argumentLayouts = parameters.stream()
                    .map(parameter -> layoutOf(parameter.type(), name + " parameter " + parameter.name()))
                    .toArray(MemoryLayout[]::new);
            if (returnType.equals("void")) {
                return FunctionDescriptor.ofVoid(argumentLayouts);
            }
            return FunctionDescriptor.of(layoutOf(returnType, name + " return type"), argumentLayouts);
        }

        /** Returns the parameter names in order. */
        List<String> parameterNames() {
            return parameters.stream().map(Parameter::name).toList();
        }
    }

    private final Path path;
    private final Map<String, Prototype> prototypes = new LinkedHashMap<>();
    private final Map<String, String> parseFailures = new LinkedHashMap<>();
    private final Map<String, Integer> enumConstants;

    private CblasHeader(Path path, String code) {
        this.path = path;
        parsePrototypes(code);
        this.enumConstants = enumConstants(code);
    }

    /** Reads the header named by system property {@code ffnn.cblas.header}, which bindings/pom.xml sets. */
    static CblasHeader fromSystemProperty() throws IOException {
        String property = System.getProperty("ffnn.cblas.header");
        if (property == null || property.isBlank()) {
            throw new AssertionError("system property ffnn.cblas.header is not set: run the tests through Maven, "
                    + "or pass -Dffnn.cblas.header=bindings/cblas.h");
        }
        Path path = Path.of(property);
        return parse(path, Files.readString(path));
    }

    /** Parses header text; {@code path} only names the header in failure messages. */
    static CblasHeader parse(Path path, String text) {
        String code = withoutComments(text);
        code = code.lines()
                .filter(line -> !line.strip().startsWith("#"))
                .collect(Collectors.joining("\n"));
        code = CONST_QUALIFIER.matcher(code).replaceAll(" ");
        return new CblasHeader(path, code);
    }

    /**
     * Returns the prototype of {@code name}.
     *
     * @throws AssertionError if the header declares no such function, or the parser cannot read its
     *                        prototype
     */
    Prototype require(String name) {
        if (parseFailures.containsKey(name)) {
            throw new AssertionError("cannot parse the prototype of " + name + " in " + path + ": "
                    + parseFailures.get(name));
        }
        Prototype prototype = prototypes.get(name);
        if (prototype == null) {
            throw new AssertionError(path + " declares no function " + name
                    + ": update the bindings and jextract.sh together with the header");
        }
        return prototype;
    }

    /** Returns every enum constant with its value, in header order. */
    Map<String, Integer> enumConstants() {
        return enumConstants;
    }

    private static String withoutComments(String text) {
        String withoutBlockComments = BLOCK_COMMENT.matcher(text).replaceAll(" ");
        return LINE_COMMENT.matcher(withoutBlockComments).replaceAll(" ");
    }

    /**
     * Parses every function declaration. A declaration whose parameters the parser cannot read, such
     * as a variadic one, fails only when a test requires that function.
     */
    private void parsePrototypes(String code) {
        for (String statement : code.split(";")) {
            String declaration = statement.replaceAll("\\s+", " ").strip();

            // Drop what precedes the last brace, such as `extern "C" {` or the body of an enum.
            int lastBrace = Math.max(declaration.lastIndexOf('{'), declaration.lastIndexOf('}'));
            declaration = declaration.substring(lastBrace + 1).strip();

            Matcher matcher = PROTOTYPE.matcher(declaration);
            if (!matcher.matches()) {
                continue;
            }
            String name = matcher.group("name");
            try {
                List<Parameter> parameters = parameters(matcher.group("parameters"));
                prototypes.put(name, new Prototype(normalizeType(matcher.group("returnType")), name, parameters));
            } catch (IllegalArgumentException e) {
                parseFailures.put(name, e.getMessage());
            }
        }
    }

    private static List<Parameter> parameters(String parameterList) {
        String trimmed = parameterList.strip();
        if (trimmed.isEmpty() || trimmed.equals("void")) {
            return List.of();
        }
        List<Parameter> parameters = new ArrayList<>();
        for (String parameter : trimmed.split(",")) {
            Matcher matcher = PARAMETER.matcher(parameter.strip());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("cannot parse parameter \"" + parameter.strip() + "\"");
            }
            parameters.add(new Parameter(normalizeType(matcher.group("type")), matcher.group("name")));
        }
        return parameters;
    }

    private static Map<String, Integer> enumConstants(String code) {
        Map<String, Integer> constants = new LinkedHashMap<>();
        Matcher enumMatcher = ENUM.matcher(code);
        while (enumMatcher.find()) {
            for (String entry : enumMatcher.group("body").split(",")) {
                Matcher entryMatcher = ENUM_ENTRY.matcher(entry);
                if (!entryMatcher.matches()) {
                    throw new AssertionError("cannot parse enum entry \"" + entry.strip() + "\"");
                }
                constants.put(entryMatcher.group("name"), Integer.valueOf(entryMatcher.group("value")));
            }
        }
        return constants;
    }

    /** Writes a C type with single spaces and a space before each {@code *}: {@code double *}. */
    private static String normalizeType(String type) {
        return type.replace("*", " * ").replaceAll("\\s+", " ").strip().replace("* *", "**");
    }

    private static MemoryLayout layoutOf(String type, String where) {
        if (type.endsWith("*")) {
            return POINTER;
        }
        if (type.equals("double")) {
            return DOUBLE;
        }
        if (type.equals("int") || type.equals("blasint") || type.matches("enum CBLAS_\\w+")) {
            return INT;
        }
        throw new AssertionError("unsupported C type \"" + type + "\" in " + where
                + ": the test maps only int, blasint, enum CBLAS_*, double, void and pointers");
    }
}
