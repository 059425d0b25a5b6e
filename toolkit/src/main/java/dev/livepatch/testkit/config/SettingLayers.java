package dev.livepatch.testkit.config;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Where a run's settings come from besides system properties and the environment: a JUnit run's configuration
 * parameters, for every setting the toolkit reads anywhere during that run. The innermost run's layer is asked
 * first (a test that runs JUnit inside a JUnit run).
 */
@API(status = INTERNAL, since = "0.1")
public final class SettingLayers {
    private static final Deque<Layer> LAYERS = new ConcurrentLinkedDeque<>();

    private SettingLayers() {}

    /** Adds a layer until the returned handle is closed. */
    public static Layer push(Function<String, Optional<String>> values) {
        Layer layer = new Layer(values);
        LAYERS.push(layer);
        return layer;
    }

    static Optional<String> lookup(String name) {
        for (Layer layer : LAYERS) {
            Optional<String> value = layer.values.apply(name).filter(text -> !text.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** One run's settings; closing it removes them. */
    public static final class Layer implements AutoCloseable {
        private final Function<String, Optional<String>> values;

        private Layer(Function<String, Optional<String>> values) {
            this.values = values;
        }

        @Override
        public void close() {
            LAYERS.remove(this);
        }
    }
}
