/**
 * The engines and products the benchmarks compare, shared by the JMH module and {@code ffnn bench}: each engine
 * behind one interface running a training step on a fixed batch, and the GEMMs of that step called on their own.
 */
package dev.ffnn.engine.benchmark;
