package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.CacheLock;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * apt for one Debian suite, with its own sources list and package lists in the toolkit's cache: any suite of the
 * host's archive (trixie, sid, bookworm-backports, experimental, ...) is reached without root and without touching
 * the host's apt sources. The lists are refreshed when older than {@link #MAX_AGE}.
 *
 * <p>A partial suite ({@code experimental}) holds only the packages that are newer there: it is combined with the
 * suite it builds on ({@code sid}), and apt takes each package from the partial suite where it has one (as
 * {@code apt-get -t experimental} does), from the other suite otherwise.
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteApt {
    static final Duration MAX_AGE = Duration.ofHours(24);
    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(5);
    /** The partial suites, each with the suite it is used on top of. */
    private static final Map<String, String> BASE_OF_PARTIAL = Map.of("experimental", "sid");

    private final String suite;
    private final Path state;
    private final DebianArchive archive;
    private final Optional<Arch> foreign;

    SuiteApt(String suite, Path state, DebianArchive archive) {
        this(suite, state, archive, Optional.empty());
    }

    private SuiteApt(String suite, Path state, DebianArchive archive, Optional<Arch> foreign) {
        this.suite = suite;
        this.state = state;
        this.archive = archive;
        this.foreign = foreign;
    }

    /** apt for {@code suite} of the host's archive, with its state under {@code aptFolder/<suite>}. */
    public static SuiteApt of(String suite, Path aptFolder) {
        return new SuiteApt(suite, aptFolder.resolve(suite), DebianArchive.ofHost(Path.of("/etc")));
    }

    /**
     * apt for {@code suite}'s packages of {@code arch}: its own package lists ({@code aptFolder/<suite>-<debian
     * arch>}), apt told that {@code arch} is the only architecture (so names need no {@code :arm64} and every
     * dependency is of that architecture); for this host's architecture, the same as {@link #of(String, Path)}.
     */
    public static SuiteApt of(String suite, Arch arch, Path aptFolder) {
        if (arch.isHost()) {
            return of(suite, aptFolder);
        }
        return new SuiteApt(
                suite,
                aptFolder.resolve(suite + "-" + arch.debian()),
                DebianArchive.ofHost(Path.of("/etc")),
                Optional.of(arch));
    }

    public String suite() {
        return suite;
    }

    /** The suite, and the architecture when it is not this host's, e.g. {@code bookworm arm64}. */
    private String described() {
        return suite + foreign.map(arch -> " " + arch.debian()).orElse("");
    }

    /**
     * The options that point apt at this suite's own configuration and state; for a partial suite also the target
     * release, so that its packages are the candidates wherever it has them.
     */
    public List<String> options() {
        List<String> options = new ArrayList<>(List.of(
                "-o", "Dir::Etc::sourcelist=/dev/null",
                "-o", "Dir::Etc::sourceparts=" + state.resolve("sources.list.d"),
                "-o", "Dir::State::lists=" + state.resolve("lists"),
                "-o", "Dir::Cache=" + state.resolve("cache"),
                "-o", "Dir::State::status=/dev/null",
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name")));
        if (BASE_OF_PARTIAL.containsKey(suite)) {
            options.addAll(List.of("-o", "APT::Default-Release=" + suite));
        }
        foreign.ifPresent(arch -> options.addAll(
                List.of("-o", "APT::Architecture=" + arch.debian(), "-o", "APT::Architectures=" + arch.debian())));
        return List.copyOf(options);
    }

    /**
     * When this suite's package lists were last fetched, while they are fresh; empty when they are missing or
     * stale, so that whatever was read from them is read again.
     */
    public Optional<String> freshStamp() {
        return updated().filter(updated -> !isStale(updated)).map(updated -> Long.toString(updated.toMillis()));
    }

    /** When this suite's package lists were last fetched, fresh or not; empty when never. */
    public Optional<String> stamp() {
        return updated().map(updated -> Long.toString(updated.toMillis()));
    }

    private Optional<FileTime> updated() {
        try {
            return Optional.of(Files.getLastModifiedTime(state.resolve("updated")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Apt for downloads into {@code cache}, its package lists fresh. */
    public Apt apt(Cache cache, Progress progress) {
        refresh(progress);
        return Apt.inCache(cache, progress, options());
    }

    /** Writes the configuration and runs {@code apt-get update} when the lists are missing or stale. */
    void refresh(Progress progress) {
        try {
            Files.createDirectories(state.resolve("lists/partial"));
            Files.createDirectories(state.resolve("cache/archives/partial"));
            Files.createDirectories(state.resolve("sources.list.d"));
            try (CacheLock lock = CacheLock.acquire(
                    state.resolve(".update.lock"),
                    "Debian " + described() + "'s package lists",
                    progress,
                    Settings.CACHE_LOCK_TIMEOUT.get())) {
                Path sources = state.resolve("sources.list.d/debian.sources");
                String wanted = sourcesText();
                boolean changed = !Files.isRegularFile(sources)
                        || !Files.readString(sources).equals(wanted);
                if (!changed && freshStamp().isPresent()) {
                    return;
                }
                Files.writeString(sources, wanted);
                update(progress);
                Files.writeString(state.resolve("updated"), Instant.now().toString());
            }
        } catch (IOException e) {
            throw new DebException("Could not prepare the apt state for Debian " + suite + " in " + state, e);
        }
    }

    /**
     * The suite's sources; a stable suite (a release name) also takes its updates and, where the host uses one, its
     * security archive, which is where stable kernels are updated; a partial suite comes with the suite it builds on.
     */
    String sourcesText() {
        String base = BASE_OF_PARTIAL.get(suite);
        if (base != null) {
            return stanza(archive.uri(), base + " " + suite);
        }
        boolean stable = suite.matches("[a-z]+") && !suite.equals("sid");
        String text = stanza(archive.uri(), stable ? suite + " " + suite + "-updates" : suite);
        if (stable && archive.securityUri().isPresent()) {
            text += "\n" + stanza(archive.securityUri().get(), suite + "-security");
        }
        return text;
    }

    private String stanza(String uri, String suites) {
        return "Types: deb\nURIs: " + uri + "\nSuites: " + suites + "\nComponents: main\nSigned-By: "
                + archive.keyring() + "\n";
    }

    private void update(Progress progress) {
        if (!Files.isRegularFile(archive.keyring())) {
            throw new DebException("Reaching Debian " + suite + " needs the Debian archive keyring " + archive.keyring()
                    + ", which is missing: install it with 'sudo apt-get install debian-archive-keyring'.");
        }
        List<String> command = new ArrayList<>(List.of("apt-get"));
        command.addAll(options());
        command.addAll(List.of("update", "-q"));
        progress.run("Fetching Debian " + described() + "'s package lists", step -> {
            try {
                ProcessRunner.create().run(command, UPDATE_TIMEOUT);
            } catch (ProcessFailedException e) {
                throw new DebException(
                        "Could not fetch Debian " + suite + "'s package lists from " + archive.uri() + ": "
                                + e.getMessage() + "\nIs '" + suite + "' a suite of that archive, and is it reachable?",
                        e);
            }
        });
    }

    private static boolean isStale(FileTime updated) {
        return updated.toInstant().isBefore(Instant.now().minus(MAX_AGE));
    }
}
