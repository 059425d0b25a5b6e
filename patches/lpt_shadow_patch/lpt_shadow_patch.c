// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_shadow_patch: replaces lpt_target_show in the lpt_target module and
 * extends that module with a read counter kept in a shadow variable attached
 * to its struct module. The counter is attached by the object's pre-patch
 * callback (when the patch or lpt_target loads) and detached by its
 * post-unpatch callback; /proc/lpt_target shows
 * "lpt_shadow_patch: this has been live patched, read <n> times".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#define LPT_READ_COUNTER 0x4c505431

static struct module *lpt_target_module;

static int lpt_zero_counter(void *obj, void *shadow_data, void *ctor_data)
{
	atomic_set((atomic_t *)shadow_data, 0);
	return 0;
}

static int lpt_patched_target_show(struct seq_file *m, void *v)
{
	atomic_t *reads = klp_shadow_get(READ_ONCE(lpt_target_module), LPT_READ_COUNTER);

	if (!reads) {
		seq_printf(m, "%s: this has been live patched, read counter missing\n", KBUILD_MODNAME);
		return 0;
	}
	/*
	 * seq_file renders the text again to skip to a later offset, as for
	 * sendfile's second call; only a read from the start is counted.
	 */
	seq_printf(m, "%s: this has been live patched, read %d times\n", KBUILD_MODNAME,
		   m->read_pos == 0 ? atomic_inc_return(reads) : atomic_read(reads));
	return 0;
}

static int lpt_attach_counter(struct klp_object *obj)
{
	if (!klp_shadow_alloc(obj->mod, LPT_READ_COUNTER, sizeof(atomic_t), GFP_KERNEL,
			      lpt_zero_counter, NULL))
		return -ENOMEM;
	WRITE_ONCE(lpt_target_module, obj->mod);
	pr_info("attached a read counter to %s\n", obj->mod->name);
	return 0;
}

static void lpt_detach_counter(struct klp_object *obj)
{
	klp_shadow_free(obj->mod, LPT_READ_COUNTER, NULL);
	WRITE_ONCE(lpt_target_module, NULL);
	pr_info("detached the read counter from %s\n", obj->mod->name);
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
		.callbacks = {
			.pre_patch = lpt_attach_counter,
			.post_unpatch = lpt_detach_counter,
		},
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_shadow_patch_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_shadow_patch_exit(void)
{
	klp_shadow_free_all(LPT_READ_COUNTER, NULL);
}

module_init(lpt_shadow_patch_init);
module_exit(lpt_shadow_patch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: counts reads of /proc/lpt_target in a shadow variable");
