// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_getcpu: patches the getcpu system call with a copy of it. Its put_user
 * can fault on a userfaultfd page that no one serves, leaving the caller
 * asleep in handle_userfault with the patched function on its stack.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <asm/syscall.h>

/* The system call's symbol: each architecture with syscall wrappers prefixes it (as test_klp_syscall.c does). */
#if defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__x86_64__)
#define LPT_GETCPU "__x64_sys_getcpu"
#elif defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__aarch64__)
#define LPT_GETCPU "__arm64_sys_getcpu"
#elif defined(CONFIG_ARCH_HAS_SYSCALL_WRAPPER) && defined(__s390x__)
#define LPT_GETCPU "__s390x_sys_getcpu"
#else
#define LPT_GETCPU "sys_getcpu"
#endif

/* kernel/sys.c's getcpu, unchanged. */
static long lpt_getcpu(unsigned __user *cpup, unsigned __user *nodep)
{
	int err = 0;
	int cpu = raw_smp_processor_id();

	if (cpup)
		err |= put_user(cpu, cpup);
	if (nodep)
		err |= put_user(cpu_to_node(cpu), nodep);
	return err ? -EFAULT : 0;
}

#ifdef CONFIG_ARCH_HAS_SYSCALL_WRAPPER
/* A wrapper takes the caller's registers; the arguments are read from them as the architecture passes them. */
static asmlinkage long lpt_sys_getcpu(const struct pt_regs *regs)
{
	unsigned long args[6];

	syscall_get_arguments(current, (struct pt_regs *)regs, args);
	return lpt_getcpu((unsigned __user *)args[0], (unsigned __user *)args[1]);
}
#else
static asmlinkage long lpt_sys_getcpu(unsigned __user *cpup, unsigned __user *nodep, void __user *unused)
{
	return lpt_getcpu(cpup, nodep);
}
#endif

static struct klp_func lpt_vmlinux_funcs[] = {
	{
		.old_name = LPT_GETCPU,
		.new_func = lpt_sys_getcpu,
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

static int __init lpt_getcpu_init(void)
{
	return klp_enable_patch(&lpt_patch);
}

static void __exit lpt_getcpu_exit(void)
{
}

module_init(lpt_getcpu_init);
module_exit(lpt_getcpu_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("livepatch-testkit: a livepatch of the getcpu system call");
