package dev.livepatch.testkit.ssh;

/**
 * The guest-side half of an upload, for any POSIX shell: stdin goes to a temporary file next to the target, which
 * replaces the target only when it holds exactly the expected number of bytes; otherwise nothing is left behind.
 */
final class UploadScript {
    private UploadScript() {}

    static String command(String remotePath, long size, int mode) {
        String target = quote(remotePath);
        String partial = quote(remotePath + ".partial");
        return "cat > " + partial + " && chmod " + Integer.toOctalString(mode) + " " + partial
                + " && received=$(wc -c < " + partial + ") && { [ $received -eq " + size
                + " ] || { echo \"received $received of " + size + " bytes\" >&2; false; }; } && mv -f " + partial
                + " " + target + " || { rm -f " + partial + "; exit 1; }";
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
