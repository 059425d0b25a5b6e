// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_syscall: patches the getpid system call. Each task listed in klp_pids
 * that calls the patched getpid is counted off; /sys/kernel/lpt_syscall/npids
 * shows how many have not called it yet, so a test can tell that every busy
 * task went through the patched function.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>

/* The system call's symbol: each architecture with syscall wrappers prefixes it (as test_klp_syscall.c does). */
#if defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__x86_64__)
#define LPT_GETPID "__x64_sys_getpid"
#elif defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__aarch64__)
#define LPT_GETPID "__arm64_sys_getpid"
#elif defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__s390x__)
#define LPT_GETPID "__s390x_sys_getpid"
#else
#define LPT_GETPID "sys_getpid"
#endif

static DEFINE_MUTEX(lpt_pids_mutex);
static unsigned int lpt_npids, lpt_npids_pending;
static int klp_pids[NR_CPUS];
module_param_array(klp_pids, int, &lpt_npids_pending, 0);
MODULE_PARM_DESC(klp_pids, "The tasks that must call the patched getpid");

static ssize_t npids_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%u\n", lpt_npids_pending);
}

static struct kobj_attribute lpt_npids_attr = __ATTR_RO(npids);
static struct kobject *lpt_kobj;

static asmlinkage long lpt_sys_getpid(void)
{
	unsigned int i;

	mutex_lock(&lpt_pids_mutex);
	for (i = 0; lpt_npids_pending > 0 && i < lpt_npids; i++) {
		if (current->pid == klp_pids[i]) {
			klp_pids[i] = 0;
			lpt_npids_pending--;
			break;
		}
	}
	mutex_unlock(&lpt_pids_mutex);
	return task_tgid_vnr(current);
}

static struct klp_func lpt_vmlinux_funcs[] = {
	{
		.old_name = LPT_GETPID,
		.new_func = lpt_sys_getpid,
	},
	{ }
};

static struct klp_object lpt_objects[] = {
	{
		.funcs = lpt_vmlinux_funcs,
	},
	{ }
};

static struct klp_patch lpt_patch = {
	.mod = THIS_MODULE,
	.objs = lpt_objects,
};

static int __init lpt_syscall_init(void)
{
	int ret;

	lpt_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!lpt_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(lpt_kobj, &lpt_npids_attr.attr);
	if (ret) {
		kobject_put(lpt_kobj);
		return ret;
	}
	/* Counted before klp_enable_patch(): the patched getpid may run at once. */
	lpt_npids = lpt_npids_pending;
	ret = klp_enable_patch(&lpt_patch);
	if (ret)
		kobject_put(lpt_kobj);
	return ret;
}

static void __exit lpt_syscall_exit(void)
{
	kobject_put(lpt_kobj);
}

module_init(lpt_syscall_init);
module_exit(lpt_syscall_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: a livepatch of the getpid system call");
