package dev.livepatch.testkit.ssh;

import static dev.livepatch.testkit.util.ShellQuoting.singleQuoted;

/**
 * The guest-side half of an upload, for any POSIX shell: missing folders are created, stdin goes to a temporary file
 * next to the target, which replaces the target only when it holds exactly the expected number of bytes; otherwise
 * no partial file is left behind.
 */
final class UploadScript {
    private UploadScript() {}

    static String command(String remotePath, long size, int mode) {
        String target = singleQuoted(remotePath);
        String partial = singleQuoted(remotePath + ".partial");
        int slash = remotePath.lastIndexOf('/');
        String folders = slash > 0 ? "mkdir -p " + singleQuoted(remotePath.substring(0, slash)) + " && " : "";
        return folders + "cat > " + partial + " && chmod " + Integer.toOctalString(mode) + " " + partial
                + " && received=$(wc -c < " + partial + ") && { [ $received -eq " + size
                + " ] || { echo \"received $received of " + size + " bytes\" >&2; false; }; } && mv -f " + partial
                + " " + target + " || { rm -f " + partial + "; exit 1; }";
    }
}
