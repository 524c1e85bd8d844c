/**
 * On-heap training engines on {@code double[]} arrays: the test oracle and the benchmark baselines of the
 * off-heap {@link dev.ffnn.engine.Network}.
 *
 * <ul>
 *   <li>{@link dev.ffnn.engine.reference.HeapEngine}: the interface both implement, and
 *       {@link dev.ffnn.engine.reference.HeapEngine.Kind} to build either from a spec, initial parameters and a
 *       batch size.</li>
 *   <li>{@link dev.ffnn.engine.reference.ReferenceEngine}: plain Java loops and cache-blocked matrix products,
 *       with no numeric code shared with the off-heap engine.</li>
 *   <li>{@link dev.ffnn.engine.reference.EjmlEngine}: the same step with EJML's dense row-major products.</li>
 * </ul>
 *
 * <p>Training the off-heap network and an on-heap engine side by side from the same start:
 * <pre>{@code
 * double[] start = HeapEngine.initialParameters(spec, seed);
 * HeapEngine reference = HeapEngine.Kind.JAVA.create(spec, start, batchSize);
 * double loss = reference.trainStep(input, labels, learningRate); // input: batchSize x inputSize, row-major
 * }</pre>
 */
package dev.ffnn.engine.reference;
