package dev.ffnn.cblas;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks every binding in {@link cblas_h} against the prototypes and constants of {@code cblas.h}. */
class HeaderPrototypesTest {

    private static final List<String> BOUND_FUNCTIONS = List.of(
            "cblas_dgemm",
            "cblas_dgemv",
            "cblas_daxpy",
            "cblas_dscal",
            "cblas_ddot",
            "cblas_dnrm2",
            "cblas_dcopy",
            "openblas_set_num_threads",
            "openblas_get_num_threads",
            "openblas_get_config",
            "openblas_get_corename");

    private static final List<String> BOUND_CONSTANTS = List.of(
            "CblasRowMajor", "CblasColMajor",
            "CblasNoTrans", "CblasTrans", "CblasConjTrans", "CblasConjNoTrans",
            "CblasUpper", "CblasLower",
            "CblasNonUnit", "CblasUnit",
            "CblasLeft", "CblasRight");

    @Test
    void descriptorsMatchHeader() throws Exception {
        CblasHeader header = CblasHeader.fromSystemProperty();

        int checkedCount = 0;
        for (String name : BOUND_FUNCTIONS) {
            FunctionDescriptor expected = header.require(name).descriptor();
            FunctionDescriptor actual = (FunctionDescriptor) cblas_h.class.getMethod(name + "$descriptor").invoke(null);
            assertEquals(expected, actual, "descriptor of " + name);
            checkedCount++;
        }
        assertEquals(11, checkedCount, "functions checked");
    }

    @Test
    void wrapperParametersMatchHeader() throws Exception {
        CblasHeader header = CblasHeader.fromSystemProperty();

        int checkedCount = 0;
        for (String name : BOUND_FUNCTIONS) {
            CblasHeader.Prototype prototype = header.require(name);
            Class<?>[] parameterTypes = prototype.descriptor().toMethodType().parameterArray();
            Method wrapper = cblas_h.class.getMethod(name, parameterTypes);
            Parameter[] parameters = wrapper.getParameters();
            assertTrue(parameters.length == 0 || parameters[0].isNamePresent(),
                    "parameter names of " + name + " are missing from the class file: compile with -parameters");
            List<String> names = Arrays.stream(parameters).map(Parameter::getName).toList();
            assertEquals(prototype.parameterNames(), names, "parameter names of " + name);
            assertEquals(prototype.descriptor().toMethodType().returnType(), wrapper.getReturnType(),
                    "return type of " + name);
            checkedCount++;
        }
        assertEquals(11, checkedCount, "functions checked");
    }

    @Test
    void loaderRequiresEveryBoundFunction() {
        assertEquals(Set.copyOf(BOUND_FUNCTIONS), Set.copyOf(CblasLoader.SYMBOL_NAMES));
        assertEquals(BOUND_FUNCTIONS.size(), CblasLoader.SYMBOL_NAMES.size(), "symbol count, duplicates included");
    }

    @Test
    void enumConstantsMatchHeader() throws Exception {
        Map<String, Integer> headerConstants = CblasHeader.fromSystemProperty().enumConstants();

        int checkedCount = 0;
        for (String name : BOUND_CONSTANTS) {
            Integer expected = headerConstants.get(name);
            assertTrue(expected != null, "cblas.h defines no enum constant " + name);
            assertEquals(expected, cblas_h.class.getMethod(name).invoke(null), "value of " + name);
            checkedCount++;
        }
        assertEquals(12, checkedCount, "constants checked");
    }

    @Test
    void headerUses32BitBlasint() throws Exception {
        Path config = Path.of(System.getProperty("ffnn.cblas.header")).resolveSibling("openblas_config.h");
        String text = Files.readString(config);

        assertTrue(text.contains("typedef int blasint;"), config + " lacks the 32-bit blasint typedef");
        assertFalse(text.contains("#define OPENBLAS_USE64BITINT"), config + " selects 64-bit blasint");
    }

    @Test
    void missingFunctionFailsTheCheck() throws Exception {
        Path path = Path.of(System.getProperty("ffnn.cblas.header"));
        String withoutDdot = Files.readString(path).lines()
                .filter(line -> !line.contains("cblas_ddot("))
                .collect(Collectors.joining("\n"));
        CblasHeader header = CblasHeader.parse(path, withoutDdot);

        AssertionError error = assertThrows(AssertionError.class, () -> header.require("cblas_ddot"));

        assertTrue(error.getMessage().contains("declares no function cblas_ddot"), error.getMessage());
        assertEquals("cblas_dnrm2", header.require("cblas_dnrm2").name(), "a function still in the header");
    }

    @Test
    void parserReadsMultiLinePrototype() {
        String text = """
                /* comment */
                void cblas_dscal(OPENBLAS_CONST blasint N,
                                 OPENBLAS_CONST double alpha, double *X, OPENBLAS_CONST blasint incX);
                char* openblas_get_config(void);
                """;

        CblasHeader header = CblasHeader.parse(Path.of("inline.h"), text);

        CblasHeader.Prototype dscal = header.require("cblas_dscal");
        assertEquals(List.of("N", "alpha", "X", "incX"), dscal.parameterNames());
        assertEquals(FunctionDescriptor.ofVoid(CblasHeader.INT, CblasHeader.DOUBLE, CblasHeader.POINTER, CblasHeader.INT),
                dscal.descriptor());
        assertEquals(FunctionDescriptor.of(CblasHeader.POINTER), header.require("openblas_get_config").descriptor());
    }
}
