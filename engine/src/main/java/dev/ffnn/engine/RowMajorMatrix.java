package dev.ffnn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A dense matrix of {@code double} values in row-major order, in an off-heap {@link MemorySegment}.
 *
 * <p>Element (i, j) lies at byte offset {@code (i * leadingDimension + j) * Double.BYTES} from the start of
 * {@link #segment()}. The leading dimension is at least {@code max(1, cols)}, so a matrix may be a view of
 * the first columns of a wider one. The segment has at least {@link #requiredByteSize} bytes, and the
 * matrix does not own it: the code that allocated the segment owns its {@link Arena} and its lifetime.
 *
 * <p>Accessors {@link #get} and {@link #set} check their indices; they are meant for tests, statistics
 * and initialization, while hot loops work on the segment directly.
 */
public record RowMajorMatrix(int rows, int cols, int leadingDimension, MemorySegment segment) {

    private static final ValueLayout.OfDouble ELEMENT = ValueLayout.JAVA_DOUBLE;

    /**
     * Checks the layout.
     *
     * @throws IllegalArgumentException if rows or cols is negative, the leading dimension is below
     *                                  {@code max(1, cols)}, or the segment is smaller than the layout needs
     */
    public RowMajorMatrix {
        Objects.requireNonNull(segment, "segment");
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " is invalid: rows and cols must be >= 0");
        }
        if (leadingDimension < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension " + leadingDimension + " is invalid for "
                    + cols + " columns: it must be >= max(1, cols) = " + Math.max(1, cols));
        }
        long required = requiredByteSize(rows, cols, leadingDimension);
        if (segment.byteSize() < required) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a "
                    + rows + " x " + cols + " matrix with leading dimension " + leadingDimension
                    + ": it needs " + required + " bytes");
        }
    }

    /** Allocates a zero-filled {@code rows x cols} matrix with leading dimension {@code cols} in {@code arena}. */
    public static RowMajorMatrix allocate(Arena arena, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " is invalid: rows and cols must be >= 0");
        }
        long byteSize = (long) rows * cols * Double.BYTES;
        MemorySegment segment = arena.allocate(Math.max(byteSize, Double.BYTES), Double.BYTES);
        return new RowMajorMatrix(rows, cols, Math.max(1, cols), segment);
    }

    /** Wraps {@code segment} as a packed {@code rows x cols} matrix (leading dimension {@code max(1, cols)}). */
    public static RowMajorMatrix of(MemorySegment segment, int rows, int cols) {
        return new RowMajorMatrix(rows, cols, Math.max(1, cols), segment);
    }

    /**
     * Returns the bytes a row-major {@code rows x cols} layout with leading dimension {@code ld} spans:
     * {@code ((rows - 1) * ld + cols) * Double.BYTES}, or 0 for an empty matrix.
     */
    public static long requiredByteSize(int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) {
            return 0;
        }
        return ((long) (rows - 1) * ld + cols) * Double.BYTES;
    }

    /** Returns {@code rows * cols}. */
    public long elementCount() {
        return (long) rows * cols;
    }

    /** Returns true when rows follow each other with no gap ({@code leadingDimension == cols}). */
    public boolean isPacked() {
        return leadingDimension == Math.max(1, cols);
    }

    /** Returns the byte offset of element (i, j) in {@link #segment()}. */
    public long byteOffset(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return ((long) i * leadingDimension + j) * Double.BYTES;
    }

    public double get(int i, int j) {
        return segment.get(ELEMENT, byteOffset(i, j));
    }

    public void set(int i, int j, double value) {
        segment.set(ELEMENT, byteOffset(i, j), value);
    }

    /** Returns a view of rows {@code [fromRow, fromRow + rowCount)} that shares this matrix's segment. */
    public RowMajorMatrix rowRange(int fromRow, int rowCount) {
        Objects.checkFromIndexSize(fromRow, rowCount, rows);
        long offset = (long) fromRow * leadingDimension * Double.BYTES;
        long size = requiredByteSize(rowCount, cols, leadingDimension);
        return new RowMajorMatrix(rowCount, cols, leadingDimension, segment.asSlice(offset, size));
    }

    /** Sets every element to {@code value}; for a packed matrix this is one fill of the segment. */
    public void fill(double value) {
        for (int i = 0; i < rows; i++) {
            long rowOffset = (long) i * leadingDimension * Double.BYTES;
            for (int j = 0; j < cols; j++) {
                segment.set(ELEMENT, rowOffset + (long) j * Double.BYTES, value);
            }
        }
    }

    /** Copies the elements into a new on-heap array, row by row; meant for tests and small outputs. */
    public double[][] toArray() {
        double[][] result = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                result[i][j] = get(i, j);
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "RowMajorMatrix[" + rows + " x " + cols + ", ld " + leadingDimension + "]";
    }
}
