package dev.livepatch.testkit.patch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small module sources written into a test's folder: a livepatch of {@code cmdline_proc_show}, and a broken file. */
public final class LivepatchSamples {
    public static final String CMDLINE_PATCH = """
            // SPDX-License-Identifier: GPL-2.0-or-later
            #include <linux/module.h>
            #include <linux/kernel.h>
            #include <linux/livepatch.h>
            #include <linux/seq_file.h>

            static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
            {
            \tseq_printf(m, "%s\\n", "this has been live patched");
            \treturn 0;
            }

            static struct klp_func funcs[] = {
            \t{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },
            \t{ }
            };

            static struct klp_object objs[] = {
            \t{ .funcs = funcs, },
            \t{ }
            };

            static struct klp_patch patch = {
            \t.mod = THIS_MODULE,
            \t.objs = objs,
            };

            static int livepatch_init(void)
            {
            \treturn klp_enable_patch(&patch);
            }

            static void livepatch_exit(void)
            {
            }

            module_init(livepatch_init);
            module_exit(livepatch_exit);
            MODULE_LICENSE("GPL");
            MODULE_INFO(livepatch, "Y");
            """;

    /** Line 5 uses an undeclared identifier. */
    public static final String BROKEN = """
            #include <linux/module.h>

            static int broken_init(void)
            {
            \treturn no_such_symbol;
            }

            module_init(broken_init);
            MODULE_LICENSE("GPL");
            """;

    private LivepatchSamples() {}

    /** Writes {@code <name>.c} and a kbuild Makefile for it into {@code folder}. */
    public static void write(Path folder, String name, String source) {
        try {
            Files.writeString(folder.resolve(name + ".c"), source);
            Files.writeString(folder.resolve("Makefile"), "obj-m := " + name + ".o\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
