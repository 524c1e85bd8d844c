package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.function.Function;

/** Picocli converters that turn the engine's parse errors into option errors (exit status 2). */
final class Converters {

    private Converters() {
    }

    private static <T> T convert(String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class ActivationConverter implements ITypeConverter<Activation> {
        @Override
        public Activation convert(String value) {
            return Converters.convert(value, Activation::parse);
        }
    }

    static final class LossConverter implements ITypeConverter<Loss> {
        @Override
        public Loss convert(String value) {
            return Converters.convert(value, Loss::parse);
        }
    }

    static final class InitializerConverter implements ITypeConverter<Initializer> {
        @Override
        public Initializer convert(String value) {
            return Converters.convert(value, Initializers::parse);
        }
    }

    /** Accepts only initializers that fill bias vectors, so {@code --bias-init orthogonal} fails before any work. */
    static final class BiasInitializerConverter implements ITypeConverter<Initializer> {
        @Override
        public Initializer convert(String value) {
            Initializer initializer = Converters.convert(value, Initializers::parse);
            if (!initializer.fillsBiases()) {
                throw new TypeConversionException("initializer " + initializer.name() + " fills weight matrices only;"
                        + " use an element-wise one such as zeros, constant:VALUE, uniform, normal or nguyen-widrow");
            }
            return initializer;
        }
    }
}
