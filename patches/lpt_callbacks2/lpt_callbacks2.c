// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_callbacks2: a livepatch with logging pre/post (un)patch callbacks on
 * vmlinux only and no functions, to stack on or atomically replace
 * (replace=1) lpt_callbacks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>

static int replace;
module_param(replace, int, 0644);
MODULE_PARM_DESC(replace, "atomically replace all earlier patches when non-zero (default 0)");

static int pre_patch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
	return 0;
}

static void post_patch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
}

static void post_unpatch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
}

static struct klp_func lpt_no_funcs[] = {
	{ }
};

static struct klp_object lpt_objects[] = {
	{
		.name = NULL,
		.funcs = lpt_no_funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_callbacks2_init(void)
{
	lpt_patch.replace = replace != 0;
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_callbacks2_exit(void)
{
}

module_init(lpt_callbacks2_init);
module_exit(lpt_callbacks2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: logging vmlinux callbacks only, optionally as atomic replace");
