package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowMajorMatrixTest {

    @Test
    void elementOffsetFollowsLeadingDimension() {
        try (Arena arena = Arena.ofConfined()) {
            // 3 x 2 matrix stored with leading dimension 4: element (i, j) is double number 4i + j
            MemorySegment segment = arena.allocate(ValueLayout.JAVA_DOUBLE, 10);
            RowMajorMatrix m = new RowMajorMatrix(3, 2, 4, segment);
            m.set(2, 1, 7.5);
            assertEquals((2 * 4 + 1) * Double.BYTES, m.byteOffset(2, 1));
            assertEquals(7.5, segment.getAtIndex(ValueLayout.JAVA_DOUBLE, 9));
            assertEquals(10 * Double.BYTES, RowMajorMatrix.requiredByteSize(3, 2, 4));
        }
    }

    @Test
    void constructorRejectsInvalidLayouts() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(ValueLayout.JAVA_DOUBLE, 10);
            var ld = assertThrows(IllegalArgumentException.class, () -> new RowMajorMatrix(2, 3, 2, segment));
            assertTrue(ld.getMessage().contains("leading dimension 2 is invalid for 3 columns"), ld.getMessage());
            var size = assertThrows(IllegalArgumentException.class, () -> new RowMajorMatrix(3, 3, 4, segment));
            assertTrue(size.getMessage().contains("needs 88 bytes"), size.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new RowMajorMatrix(-1, 3, 3, segment));
        }
    }

    @Test
    void rowRangeSharesTheSegment() {
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix m = new RowMajorMatrix(4, 3, 5, arena.allocate(ValueLayout.JAVA_DOUBLE, 20));
            RowMajorMatrix rows = m.rowRange(1, 2);
            rows.set(1, 2, 3.25);
            assertEquals(3.25, m.get(2, 2));
            assertEquals(5, rows.leadingDimension());
            assertThrows(IndexOutOfBoundsException.class, () -> m.rowRange(3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(0, 3));
        }
    }
}
