// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_callbacks: a livepatch whose every object has pre/post (un)patch
 * callbacks that log which object they run for and the state of its module:
 * vmlinux (no functions), the lpt_target fixture (no functions) and the
 * lpt_busy fixture, whose lpt_busy_work_func it replaces. The pre-patch
 * callbacks return the pre_patch_ret parameter, so a test can make them fail.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/workqueue.h>

static int pre_patch_ret;
module_param(pre_patch_ret, int, 0644);
MODULE_PARM_DESC(pre_patch_ret, "value every pre-patch callback returns, e.g. -19 to refuse (default 0)");

static int replace;
module_param(replace, int, 0444);
MODULE_PARM_DESC(replace, "atomically replace all earlier patches when non-zero (default 0)");

static const char *lpt_module_state(const struct module *mod)
{
	switch (mod->state) {
	case MODULE_STATE_LIVE:
		return "[MODULE_STATE_LIVE] Normal state";
	case MODULE_STATE_COMING:
		return "[MODULE_STATE_COMING] Full formed, running module_init";
	case MODULE_STATE_GOING:
		return "[MODULE_STATE_GOING] Going away";
	case MODULE_STATE_UNFORMED:
		return "[MODULE_STATE_UNFORMED] Still setting it up";
	}
	return "[unknown module state]";
}

static void lpt_log_callback(const char *callback, const struct klp_object *obj)
{
	if (obj->mod)
		pr_info("%s: %s -> %s\n", callback, obj->mod->name, lpt_module_state(obj->mod));
	else
		pr_info("%s: vmlinux\n", callback);
}

static int pre_patch_callback(struct klp_object *obj)
{
	lpt_log_callback(__func__, obj);
	return pre_patch_ret;
}

static void post_patch_callback(struct klp_object *obj)
{
	lpt_log_callback(__func__, obj);
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	lpt_log_callback(__func__, obj);
}

static void post_unpatch_callback(struct klp_object *obj)
{
	lpt_log_callback(__func__, obj);
}

static void lpt_patched_work_func(struct work_struct *work)
{
	pr_info("%s\n", __func__);
}

static struct klp_func lpt_no_funcs[] = {
	{ }
};

static struct klp_func lpt_busy_funcs[] = {
	{
		.old_name = "lpt_busy_work_func",
		.new_func = lpt_patched_work_func,
	},
	{ }
};

#define LPT_LOGGING_CALLBACKS {				\
	.pre_patch = pre_patch_callback,		\
	.post_patch = post_patch_callback,		\
	.pre_unpatch = pre_unpatch_callback,		\
	.post_unpatch = post_unpatch_callback,		\
}

static struct klp_object lpt_objects[] = {
	{
		.name = NULL,
		.funcs = lpt_no_funcs,
		.callbacks = LPT_LOGGING_CALLBACKS,
	},
	{
		.name = "lpt_target",
		.funcs = lpt_no_funcs,
		.callbacks = LPT_LOGGING_CALLBACKS,
	},
	{
		.name = "lpt_busy",
		.funcs = lpt_busy_funcs,
		.callbacks = LPT_LOGGING_CALLBACKS,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_callbacks_init(void)
{
	lpt_patch.replace = replace != 0;
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_callbacks_exit(void)
{
}

module_init(lpt_callbacks_init);
module_exit(lpt_callbacks_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: logs every patch callback for vmlinux, lpt_target and lpt_busy");
