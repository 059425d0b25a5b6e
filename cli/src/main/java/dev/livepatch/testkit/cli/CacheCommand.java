package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.cache.Cache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cache", description = "Show where the cache is, or empty it: 'cache clean'.")
final class CacheCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..1",
            paramLabel = "clean",
            description = "'clean' removes every cached kernel, image, module and snapshot.")
    String action;

    @Override
    public Integer call() {
        Cache cache = Cache.standard();
        if (action == null) {
            System.out.println(cache.root());
            return 0;
        }
        if (!action.equals("clean")) {
            throw new IllegalArgumentException("Unknown cache action '" + action + "'; use 'cache' or 'cache clean'.");
        }
        cache.clean();
        System.out.println("Emptied " + cache.root());
        return 0;
    }
}
