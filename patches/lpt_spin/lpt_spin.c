// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_spin: a kernel thread that spins in kernel mode while the spin
 * parameter is set, preemptible, never sleeping and never calling
 * cond_resched(). Whenever it is off the CPU, an interrupt preempted it, so its
 * stack holds an interrupt frame: the reliable stack walk of arm64 gives up at
 * such a frame (as powerpc's, s390's and x86's with frame pointers do), and the
 * kernel cannot tell whether a patched function is below it. A transition then
 * waits on this thread ("has an unreliable stack"). Once spin is cleared the
 * thread sleeps of its own accord, where its stack is reliable. Clear it before
 * a patch is removed: removing its ftrace handler waits for every preempted
 * task to schedule of its own accord. On a kernel that does not preempt kernel
 * code the thread would hold its CPU: the module refuses to load there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/preempt.h>
#include <linux/sched.h>

static bool spin = true;
module_param(spin, bool, 0644);
MODULE_PARM_DESC(spin, "spin in kernel mode while set; cleared, the thread sleeps until unloaded (default Y)");

static struct task_struct *lpt_spin_thread;

static noinline void lpt_spin_loop(void)
{
	while (READ_ONCE(spin) && !kthread_should_stop())
		cpu_relax();
}

static int lpt_spin_fn(void *unused)
{
	/* The lowest weight: the guest's own work runs first, and preempts it. */
	set_user_nice(current, MAX_NICE);
	lpt_spin_loop();
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int __init lpt_spin_init(void)
{
	if (!preempt_model_preemptible()) {
		pr_err("this kernel does not preempt kernel code (boot it with preempt=full): a spinning thread would hold its CPU\n");
		return -EOPNOTSUPP;
	}
	lpt_spin_thread = kthread_run(lpt_spin_fn, NULL, "lpt_spin");
	if (IS_ERR(lpt_spin_thread))
		return PTR_ERR(lpt_spin_thread);
	pr_info("%s: spinning in pid %d\n", __func__, task_pid_nr(lpt_spin_thread));
	return 0;
}

static void __exit lpt_spin_exit(void)
{
	kthread_stop(lpt_spin_thread);
	pr_info("%s\n", __func__);
}

module_init(lpt_spin_init);
module_exit(lpt_spin_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("livepatch-testkit: a kernel thread spinning preemptibly, whose stack is unreliable whenever it is preempted");
