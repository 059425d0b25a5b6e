package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A function a patch replaces, from its sysfs folder name {@code <function>,<sympos>}.
 *
 * @param name the original function's symbol name
 * @param sympos which of several same-named local symbols (the kernel shows 0 as 1)
 */
@API(status = STABLE, since = "0.1")
public record PatchedFunction(String name, int sympos) {

    static PatchedFunction parse(String folderName) {
        int comma = folderName.lastIndexOf(',');
        if (comma < 0) {
            return new PatchedFunction(folderName, 1);
        }
        return new PatchedFunction(folderName.substring(0, comma), Integer.parseInt(folderName.substring(comma + 1)));
    }

    @Override
    public String toString() {
        return name + "," + sympos;
    }
}
