// SPDX-License-Identifier: GPL-2.0
/*
 * uptime_banner: replaces vmlinux's uptime_proc_show, so that reading /proc/uptime shows
 * "uptime_banner: patched" while the patch is enabled.
 */
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int uptime_banner_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: patched\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "uptime_proc_show",
		.new_func = uptime_banner_show,
	},
	{ }
};

static struct klp_object objs[] = {
	{
		.name = NULL,
		.funcs = funcs,
	},
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init uptime_banner_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit uptime_banner_exit(void)
{
}

module_init(uptime_banner_init);
module_exit(uptime_banner_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
