package dev.livepatch.testkit.source;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a unified diff changes, as {@code patch -p1} (klp-build's way) reads it, and whether each change is more
 * than whitespace.
 *
 * @param files in the diff's order
 */
record SourceDiff(List<ChangedFile> files) {
    private static final String NO_FILE = "/dev/null";
    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,(\\d+))? \\+\\d+(?:,(\\d+))? @@.*$");

    /**
     * One file of the diff.
     *
     * @param path relative to the tree's top folder
     * @param created whether the diff creates it (so the tree cannot have built it yet)
     * @param whitespaceOnly whether every hunk only changes whitespace between C tokens
     */
    record ChangedFile(String path, boolean created, boolean whitespaceOnly) {
        boolean isC() {
            return path.endsWith(".c");
        }

        boolean isHeader() {
            return path.endsWith(".h");
        }
    }

    SourceDiff {
        files = List.copyOf(files);
    }

    /** Parses {@code text}; {@code name} names the diff in the error when it holds no file. */
    static SourceDiff parse(String text, String name) {
        List<String> lines = text.lines().toList();
        List<ChangedFile> files = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).startsWith("--- ") || !lines.get(i + 1).startsWith("+++ ")) {
                continue;
            }
            String before = pathOf(lines.get(i));
            String after = pathOf(lines.get(i + 1));
            boolean created = before.equals(NO_FILE);
            String path = strip(after.equals(NO_FILE) ? before : after);
            boolean whitespaceOnly = true;
            int next = i + 2;
            Matcher hunk;
            while (next < lines.size() && (hunk = HUNK.matcher(lines.get(next))).matches()) {
                int oldCount = hunk.group(1) == null ? 1 : Integer.parseInt(hunk.group(1));
                int newCount = hunk.group(2) == null ? 1 : Integer.parseInt(hunk.group(2));
                StringBuilder removed = new StringBuilder();
                StringBuilder added = new StringBuilder();
                next++;
                while (next < lines.size() && (oldCount > 0 || newCount > 0)) {
                    String line = lines.get(next++);
                    char kind = line.isEmpty() ? ' ' : line.charAt(0);
                    String body = line.isEmpty() ? "" : line.substring(1);
                    if (kind == '-') {
                        removed.append(body).append('\n');
                        oldCount--;
                    } else if (kind == '+') {
                        added.append(body).append('\n');
                        newCount--;
                    } else if (kind != '\\') {
                        oldCount--;
                        newCount--;
                    }
                }
                whitespaceOnly &= CTokens.of(removed).equals(CTokens.of(added));
            }
            files.add(new ChangedFile(path, created, whitespaceOnly));
            i = next - 1;
        }
        if (files.isEmpty()) {
            throw new ModuleBuildException("The diff " + name + " changes no file: it holds no '--- a/<file>' and"
                    + " '+++ b/<file>' lines. Give a unified diff made in the tree (e.g. with 'git diff').");
        }
        return new SourceDiff(files);
    }

    private static String pathOf(String header) {
        String path = header.substring(4);
        int tab = path.indexOf('\t');
        return (tab >= 0 ? path.substring(0, tab) : path).strip();
    }

    /** {@code patch -p1}: without the first folder ({@code a/}, {@code b/}). */
    private static String strip(String path) {
        int slash = path.indexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    /** Whether the whole diff changes only whitespace, so that no object can change. */
    boolean whitespaceOnly() {
        return files.stream().allMatch(ChangedFile::whitespaceOnly);
    }

    List<String> paths() {
        return files.stream().map(ChangedFile::path).toList();
    }

    /**
     * C source split into tokens: names and numbers, string and character literals (their spaces kept), and
     * punctuators, so that only whitespace between tokens is ignored ({@code f(a, b)} equals {@code f(a,b)}; {@code
     * a - -b} does not equal {@code a--b}).
     */
    static final class CTokens {
        private static final List<String> PUNCTUATORS = List.of(
                "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=",
                "+=", "-=", "&=", "^=", "|=", "##");

        private CTokens() {}

        static List<String> of(CharSequence text) {
            List<String> tokens = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int start = i;
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    i++;
                    while (i < text.length() && text.charAt(i) != c && text.charAt(i) != '\n') {
                        i += text.charAt(i) == '\\' ? 2 : 1;
                    }
                    i = Math.min(i + 1, text.length());
                } else if (isWord(c)) {
                    while (i < text.length() && isWord(text.charAt(i))) {
                        i++;
                    }
                } else {
                    i += punctuatorLength(text, i);
                }
                tokens.add(text.subSequence(start, i).toString());
            }
            return tokens;
        }

        /** C's longest punctuator at {@code i} (maximal munch, as the compiler reads it), else one character. */
        private static int punctuatorLength(CharSequence text, int i) {
            for (String punctuator : PUNCTUATORS) {
                if (i + punctuator.length() <= text.length()
                        && text.subSequence(i, i + punctuator.length())
                                .toString()
                                .equals(punctuator)) {
                    return punctuator.length();
                }
            }
            return 1;
        }

        private static boolean isWord(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }
}
