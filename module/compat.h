/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference lifecycle depends on.
 *
 * Tracepoint probes must match the kernel's TP_PROTO exactly: Debian's
 * kernels have IBT but no kCFI, so a wrong prototype would silently
 * corrupt arguments rather than trap.  tracepoints.c checks every probe
 * against the kernel's prototype at compile time, so a change that a
 * distribution backports without a version bump fails the build.
 *
 * What changes, by version (booted and tested: Debian's 6.1, 6.12 and
 * 6.12-rt; read from the source only: 6.16, 6.18, 7.0):
 *   6.3   vma->vm_flags becomes read-only: vm_flags_clear() (below).
 *   6.16  sched_process_exit gains bool group_dead (below).
 *   6.18  task_newtask's clone_flags become u64 (below).
 *   7.0   tracepoint probes run under SRCU-fast and can be preempted
 *         ("tracing: Guard __DECLARE_TRACE() use of __DO_TRACE_CALL()
 *         with SRCU-fast").  No macro here: every probe disables
 *         preemption itself (lc_probe_enter() in lc.h) on every version.
 *   7.x   CLONE_AUTOREAP: such a child sends its parent no exit signal
 *         and is released in exit_notify(), so there is no death notice
 *         to start its zombie time; the reap kprobe records it as
 *         autoreap, and its zombie time runs from the exit, as for a
 *         child of a parent that ignores SIGCHLD.
 */
#ifndef _LC_COMPAT_H
#define _LC_COMPAT_H

#include <linux/version.h>
#include <linux/sched.h>

#define LC_V6_1		KERNEL_VERSION(6, 1, 0)
#define LC_V6_3		KERNEL_VERSION(6, 3, 0)
#define LC_V6_16	KERNEL_VERSION(6, 16, 0)
#define LC_V6_18	KERNEL_VERSION(6, 18, 0)

#if LINUX_VERSION_CODE < LC_V6_1
/* sched_switch's prev_state, task __state, regs_get_kernel_argument() */
#error "lifecycle needs Linux 6.1 or later"
#endif

/* sched_process_exit gained group_dead in 6.16. */
#if LINUX_VERSION_CODE >= LC_V6_16
#define LC_TP_EXIT_ARGS		void *data, struct task_struct *p, \
				bool group_dead
#define LC_EXIT_GROUP_DEAD(p)	((void)(p), group_dead)
#else
#define LC_TP_EXIT_ARGS		void *data, struct task_struct *p
/* Racy between threads: lineage de-duplicates per process. */
#define LC_EXIT_GROUP_DEAD(p)	(atomic_read(&(p)->signal->live) == 0)
#endif

/* task_newtask's clone_flags became u64 in 6.18. */
#if LINUX_VERSION_CODE >= LC_V6_18
#define LC_TP_NEWTASK_ARGS	void *data, struct task_struct *p, \
				u64 clone_flags
#else
#define LC_TP_NEWTASK_ARGS	void *data, struct task_struct *p, \
				unsigned long clone_flags
#endif

/* sched_switch has carried prev_state since 5.18. */
#define LC_TP_SWITCH_ARGS	void *data, bool preempt, \
				struct task_struct *prev, \
				struct task_struct *next, \
				unsigned int prev_state

/* vm_flags_clear() from 6.3; before, the field is written directly. */
#if LINUX_VERSION_CODE >= LC_V6_3
#define lc_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
#define lc_vm_flags_clear(vma, flags)	((vma)->vm_flags &= ~(flags))
#endif

/* The field is __state from 5.14 on; both supported series have it. */
#define LC_TASK_STATE(t)	READ_ONCE((t)->__state)

#endif /* _LC_COMPAT_H */
