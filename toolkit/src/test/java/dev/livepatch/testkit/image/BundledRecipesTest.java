package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledRecipesTest {
    private static final String PREFIX = "dev/livepatch/testkit/image/recipes/";

    @TempDir
    Path folder;

    @Test
    void threadsReadingTheRecipesFromTheToolkitsJarAtOnceAllGetThem() throws Exception {
        Path jar = folder.resolve("toolkit.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, PREFIX + "minimal/recipe.properties", "packages = busybox-static\n");
            entry(out, PREFIX + "minimal/rootfs/etc/testkit/rc", "#!/bin/sh\n");
        }
        URL marker = new URL("jar:" + jar.toUri() + "!/" + PREFIX + "minimal/recipe.properties");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Set<Path> results = ConcurrentHashMap.newKeySet();
            for (int round = 0; round < 10; round++) {
                Cache cache = new Cache(folder.resolve("cache-" + round));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Path>> calls = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    calls.add(pool.submit(() -> {
                        start.await();
                        return BundledRecipes.folder(cache, marker);
                    }));
                }
                start.countDown();
                for (Future<Path> call : calls) {
                    results.add(call.get());
                }
            }
            assertThat(results).hasSize(10);
            for (Path recipes : results) {
                assertThat(recipes.resolve("minimal/recipe.properties")).hasContent("packages = busybox-static");
                assertThat(recipes.resolve("minimal/rootfs/etc/testkit/rc")).isExecutable();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void entry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
