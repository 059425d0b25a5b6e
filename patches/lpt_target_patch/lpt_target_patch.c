// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_target_patch: replaces lpt_target_show in the lpt_target module, so
 * /proc/lpt_target shows "lpt_target_patch: this has been live patched". The
 * patch may be loaded before or after lpt_target.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int lpt_patched_target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: this has been live patched\n", KBUILD_MODNAME);
	return 0;
}

static struct klp_func lpt_target_funcs[] = {
	{
		.old_name = "lpt_target_show",
		.new_func = lpt_patched_target_show,
	},
	{ }
};

static struct klp_object lpt_objects[] = {
	{
		.name = "lpt_target",
		.funcs = lpt_target_funcs,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_target_patch_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_target_patch_exit(void)
{
}

module_init(lpt_target_patch_init);
module_exit(lpt_target_patch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: patches lpt_target_show in module lpt_target");
