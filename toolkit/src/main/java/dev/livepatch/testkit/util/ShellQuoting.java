package dev.livepatch.testkit.util;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** Words as a POSIX shell must see them, for commands run in guests, in containers and in written scripts. */
@API(status = INTERNAL, since = "0.3")
public final class ShellQuoting {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./,:=+-]+");

    private ShellQuoting() {}

    /** The word unchanged when the shell would read it as it is, single-quoted otherwise. */
    public static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : singleQuoted(word);
    }

    /** The word in single quotes, which keep everything literal; a quote inside is closed, escaped and reopened. */
    public static String singleQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
