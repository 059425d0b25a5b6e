// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_version: replaces vmlinux's version_proc_show, so reading /proc/version
 * shows "lpt_version: this has been live patched" while the patch is enabled.
 * With replace=1 it is an atomic-replace patch that reverts every earlier patch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int replace;
module_param(replace, int, 0644);
MODULE_PARM_DESC(replace, "atomically replace all earlier patches when non-zero (default 0)");

static int lpt_version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: this has been live patched\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func lpt_vmlinux_funcs[] = {
	{
		.old_name = "version_proc_show",
		.new_func = lpt_version_proc_show,
	},
	{ }
};

static struct klp_object lpt_objects[] = {
	{
		.name = NULL,
		.funcs = lpt_vmlinux_funcs,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_version_init(void)
{
	lpt_patch.replace = replace != 0;
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_version_exit(void)
{
}

module_init(lpt_version_init);
module_exit(lpt_version_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: patches version_proc_show");
