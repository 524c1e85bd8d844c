package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CountsTest {

    @Test
    void singularOnlyForOne() {
        assertEquals("0 samples", Counts.of(0, "sample"));
        assertEquals("1 sample", Counts.of(1, "sample"));
        assertEquals("2 samples", Counts.of(2, "sample"));
        assertEquals("-1 samples", Counts.of(-1, "sample"));
    }

    @Test
    void irregularPluralGiven() {
        assertEquals("1 class", Counts.of(1, "class", "classes"));
        assertEquals("10 classes", Counts.of(10, "class", "classes"));
    }
}
