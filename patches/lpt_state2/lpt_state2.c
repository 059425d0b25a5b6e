// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_state2: like lpt_state, but klp_state 1 version 2, which can take the
 * console_loglevel change over from an earlier patch carrying the same state
 * (klp_get_prev_state) and hand it back when a replaced patch is restored.
 * lpt_state3 builds this same source under another module name.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>

#define LPT_LOGLEVEL_STATE 1
#define LPT_LOGLEVEL_STATE_VERSION 2

static struct klp_patch lpt_patch;

static struct klp_state *lpt_loglevel_state(void)
{
	return klp_get_state(&lpt_patch, LPT_LOGLEVEL_STATE);
}

static struct klp_state *lpt_previous_loglevel_state(void)
{
	return klp_get_prev_state(LPT_LOGLEVEL_STATE);
}

static int allocate_loglevel_state(void)
{
	struct klp_state *state;

	if (lpt_previous_loglevel_state()) {
		pr_info("%s: space to store console_loglevel already allocated\n", __func__);
		return 0;
	}
	state = lpt_loglevel_state();
	if (!state)
		return -EINVAL;
	state->data = kzalloc(sizeof(int), GFP_KERNEL);
	if (!state->data)
		return -ENOMEM;
	pr_info("%s: allocating space to store console_loglevel\n", __func__);
	return 0;
}

static void fix_console_loglevel(void)
{
	struct klp_state *state = lpt_loglevel_state();
	struct klp_state *previous;

	if (!state)
		return;
	previous = lpt_previous_loglevel_state();
	if (previous) {
		pr_info("%s: taking over the console_loglevel change\n", __func__);
		state->data = previous->data;
		return;
	}
	pr_info("%s: fixing console_loglevel\n", __func__);
	*(int *)state->data = console_loglevel;
	console_loglevel = CONSOLE_LOGLEVEL_MOTORMOUTH;
}

static void restore_console_loglevel(void)
{
	struct klp_state *state;

	if (lpt_previous_loglevel_state()) {
		pr_info("%s: passing the console_loglevel change back to the old livepatch\n", __func__);
		return;
	}
	state = lpt_loglevel_state();
	if (!state)
		return;
	pr_info("%s: restoring console_loglevel\n", __func__);
	console_loglevel = *(int *)state->data;
}

static void free_loglevel_state(void)
{
	struct klp_state *state;

	if (lpt_previous_loglevel_state()) {
		pr_info("%s: keeping space to store console_loglevel\n", __func__);
		return;
	}
	state = lpt_loglevel_state();
	if (!state)
		return;
	pr_info("%s: freeing space for the stored console_loglevel\n", __func__);
	kfree(state->data);
	state->data = NULL;
}

static int pre_patch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
	return allocate_loglevel_state();
}

static void post_patch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
	fix_console_loglevel();
}

static void pre_unpatch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
	restore_console_loglevel();
}

static void post_unpatch_callback(struct klp_object *obj)
{
	pr_info("%s: vmlinux\n", __func__);
	free_loglevel_state();
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

static struct klp_state lpt_states[] = {
	{
		.id = LPT_LOGLEVEL_STATE,
		.version = LPT_LOGLEVEL_STATE_VERSION,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
	.states = lpt_states,
	.replace = true,
};

static int __init lpt_state2_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_state2_exit(void)
{
}

module_init(lpt_state2_init);
module_exit(lpt_state2_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: console_loglevel change as klp_state 1 version 2, can take over");
