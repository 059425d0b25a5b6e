package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The Debian archive this host's apt uses, read from its sources (deb822 {@code .sources} files and one-line
 * {@code sources.list}), so that other suites are fetched from the same place without naming a mirror anywhere.
 */
@API(status = INTERNAL, since = "0.1")
public record DebianArchive(String uri, Path keyring, Optional<String> securityUri) {
    static final Path DEFAULT_KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final Pattern ONE_LINE = Pattern.compile("(?m)^\\s*deb\\s+(?:\\[([^]]*)]\\s+)?(\\S+)\\s+(\\S+)");
    private static final Pattern SIGNED_BY = Pattern.compile("signed-by=(\\S+)");

    /** The archive of the host's apt configuration under {@code etc} (normally {@code /etc}). */
    public static DebianArchive ofHost(Path etc) {
        List<Path> files = new ArrayList<>();
        Path sourcesList = etc.resolve("apt/sources.list");
        if (Files.isRegularFile(sourcesList)) {
            files.add(sourcesList);
        }
        Path parts = etc.resolve("apt/sources.list.d");
        if (Files.isDirectory(parts)) {
            try (var listed = Files.list(parts)) {
                listed.filter(f -> f.toString().endsWith(".sources")
                                || f.toString().endsWith(".list"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new DebException("Could not list " + parts, e);
            }
        }
        for (Path file : files) {
            Optional<DebianArchive> found = parse(read(file));
            if (found.isPresent()) {
                Optional<String> security = files.stream()
                        .map(f -> securityUri(read(f)))
                        .flatMap(Optional::stream)
                        .findFirst();
                return new DebianArchive(found.get().uri(), found.get().keyring(), security);
            }
        }
        throw new DebException("This host's apt sources (" + sourcesList + ", " + parts
                + ") name no Debian archive (a 'debian' URI with a Debian suite); other Debian suites are reached"
                + " through the same archive. Add Debian's archive to apt's sources, or use --kernel debian.");
    }

    /** The Debian release this host runs ({@code VERSION_CODENAME} of {@code etc/os-release}), if it is Debian's. */
    public static Optional<String> hostRelease(Path etc) {
        try {
            String text = Files.readString(etc.resolve("os-release"));
            if (!text.lines().anyMatch(line -> line.equals("ID=debian"))) {
                return Optional.empty();
            }
            return text.lines()
                    .filter(line -> line.startsWith("VERSION_CODENAME="))
                    .map(line -> line.substring("VERSION_CODENAME=".length())
                            .replace("\"", "")
                            .strip())
                    .filter(name -> !name.isEmpty())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first Debian archive (not its security archive) in a sources file's text. */
    static Optional<DebianArchive> parse(String text) {
        for (String stanza : text.split("\\n\\s*\\n")) {
            String uris = field(stanza, "URIs");
            String suites = field(stanza, "Suites");
            if (uris == null || suites == null || !field(stanza, "Types", "deb").contains("deb")) {
                continue;
            }
            for (String uri : uris.split("\\s+")) {
                if (isDebianArchive(uri)) {
                    String signedBy = field(stanza, "Signed-By");
                    return Optional.of(new DebianArchive(strip(uri), keyring(signedBy), Optional.empty()));
                }
            }
        }
        Matcher line = ONE_LINE.matcher(text);
        while (line.find()) {
            if (isDebianArchive(line.group(2))) {
                String options = line.group(1) == null ? "" : line.group(1);
                Matcher signedBy = SIGNED_BY.matcher(options);
                return Optional.of(new DebianArchive(
                        strip(line.group(2)), keyring(signedBy.find() ? signedBy.group(1) : null), Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /** The host's Debian security archive, where stable suites get their kernel updates. */
    static Optional<String> securityUri(String text) {
        Matcher uri = Pattern.compile("(?m)^\\s*(?:URIs:|deb(?:\\s+\\[[^]]*])?)\\s+(\\S+/debian-security)/?\\s")
                .matcher(text + "\n");
        return uri.find() ? Optional.of(strip(uri.group(1))) : Optional.empty();
    }

    private static boolean isDebianArchive(String uri) {
        String path = strip(uri);
        return (path.startsWith("http://") || path.startsWith("https://") || path.startsWith("file:"))
                && path.endsWith("/debian");
    }

    private static Path keyring(String signedBy) {
        return signedBy == null || !signedBy.startsWith("/") ? DEFAULT_KEYRING : Path.of(signedBy.strip());
    }

    private static String strip(String uri) {
        return uri.strip().replaceAll("/+$", "");
    }

    private static String field(String stanza, String name) {
        return field(stanza, name, null);
    }

    private static String field(String stanza, String name, String otherwise) {
        Matcher matcher = Pattern.compile("(?mi)^" + name + ":\\s*(.*)$").matcher(stanza);
        return matcher.find() ? matcher.group(1).strip() : otherwise;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new DebException("Could not read " + file, e);
        }
    }
}
