package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A module named on the command line as {@code MODULE[:PARAM=VALUE,...]}: a folder of {@code patches/} or a
 * {@code .ko} file, with module parameters.
 *
 * @param reference the patch name or the {@code .ko} path
 * @param parameters the module parameters in the order given
 */
@API(status = INTERNAL, since = "0.2")
public record ModuleArgument(String reference, Map<String, String> parameters) {
    private static final Pattern PARAMETERS =
            Pattern.compile(":([A-Za-z_][A-Za-z0-9_]*=[^,]*(?:,[A-Za-z_][A-Za-z0-9_]*=[^,]*)*)$");

    public static ModuleArgument parse(String text) {
        Matcher matcher = PARAMETERS.matcher(text);
        boolean hasParameters = matcher.find();
        String reference = hasParameters ? text.substring(0, matcher.start()) : text;
        if (reference.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' names no module; write MODULE[:PARAM=VALUE,...]");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (hasParameters) {
            for (String pair : matcher.group(1).split(",")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return new ModuleArgument(reference, parameters);
    }

    public boolean isFile() {
        return reference.endsWith(".ko") || reference.contains("/");
    }
}
