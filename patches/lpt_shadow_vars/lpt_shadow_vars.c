// SPDX-License-Identifier: GPL-2.0
/*
 * lpt_shadow_vars: a plain module that exercises the shadow-variable API at
 * load time (klp_shadow_get, _alloc, _get_or_alloc, _free, _free_all, with a
 * constructor and a destructor) and logs every call. Pointers are logged as
 * PTRn, numbered in order of first appearance (PTR0 is NULL), so the log is
 * the same on every run.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>

#define LPT_OBJECTS 3
#define LPT_CHAR_ID 0x1234
#define LPT_INT_ID 0x1235
#define LPT_MAX_POINTERS 64

struct lpt_object {
	int payload;
};

static const void *lpt_seen[LPT_MAX_POINTERS];
static int lpt_seen_count;

/* The PTRn number of a pointer; a pointer not seen before gets the next number. */
static int ptr_n(const void *ptr)
{
	int i;

	for (i = 0; i < lpt_seen_count; i++)
		if (lpt_seen[i] == ptr)
			return i;
	if (lpt_seen_count == LPT_MAX_POINTERS)
		return -1;
	lpt_seen[lpt_seen_count] = ptr;
	return lpt_seen_count++;
}

static int shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	void **shadow = shadow_data;
	void **source = ctor_data;
	int shadow_n, source_n;

	if (!source)
		return -EINVAL;
	*shadow = *source;
	shadow_n = ptr_n(shadow);
	source_n = ptr_n(*source);
	pr_info("%s: PTR%d -> PTR%d\n", __func__, shadow_n, source_n);
	return 0;
}

static void shadow_dtor(void *obj, void *shadow_data)
{
	int obj_n = ptr_n(obj);
	int shadow_n = ptr_n(shadow_data);

	pr_info("%s(obj=PTR%d, shadow_data=PTR%d)\n", __func__, obj_n, shadow_n);
}

static void **lpt_get(void *obj, unsigned long id)
{
	void **shadow = klp_shadow_get(obj, id);
	int obj_n = ptr_n(obj);
	int shadow_n = ptr_n(shadow);

	pr_info("klp_shadow_get(obj=PTR%d, id=0x%lx) = PTR%d\n", obj_n, id, shadow_n);
	return shadow;
}

static void lpt_log_alloc(const char *call, void *obj, unsigned long id, size_t size,
			  gfp_t gfp, void **source, void **shadow)
{
	int obj_n = ptr_n(obj);
	int ctor_n = ptr_n((const void *)shadow_ctor);
	int source_n = ptr_n(*source);
	int shadow_n = ptr_n(shadow);

	pr_info("%s(obj=PTR%d, id=0x%lx, size=%zx, gfp_flags=%pGg), ctor=PTR%d, ctor_data=PTR%d = PTR%d\n",
		call, obj_n, id, size, &gfp, ctor_n, source_n, shadow_n);
}

static void **lpt_alloc(void *obj, unsigned long id, void **source)
{
	void **shadow = klp_shadow_alloc(obj, id, sizeof(*source), GFP_KERNEL, shadow_ctor, source);

	lpt_log_alloc("klp_shadow_alloc", obj, id, sizeof(*source), GFP_KERNEL, source, shadow);
	return shadow;
}

static void **lpt_get_or_alloc(void *obj, unsigned long id, void **source)
{
	void **shadow = klp_shadow_get_or_alloc(obj, id, sizeof(*source), GFP_KERNEL, shadow_ctor, source);

	lpt_log_alloc("klp_shadow_get_or_alloc", obj, id, sizeof(*source), GFP_KERNEL, source, shadow);
	return shadow;
}

static void lpt_free(void *obj, unsigned long id)
{
	int obj_n, dtor_n;

	klp_shadow_free(obj, id, shadow_dtor);
	obj_n = ptr_n(obj);
	dtor_n = ptr_n((const void *)shadow_dtor);
	pr_info("klp_shadow_free(obj=PTR%d, id=0x%lx, dtor=PTR%d)\n", obj_n, id, dtor_n);
}

static void lpt_free_all(unsigned long id)
{
	klp_shadow_free_all(id, NULL);
	pr_info("klp_shadow_free_all(id=0x%lx, dtor=PTR%d)\n", id, ptr_n(NULL));
}

static void lpt_expect_null(const void *shadow)
{
	if (!shadow)
		pr_info("  got expected NULL result\n");
}

static void lpt_expect_pointing(void **shadow, void **expected, const void *target)
{
	if (shadow == expected && *shadow == target)
		pr_info("  got expected PTR%d -> PTR%d result\n", ptr_n(shadow), ptr_n(*shadow));
}

static int lpt_exercise(void)
{
	struct lpt_object objects[LPT_OBJECTS];
	char chars[LPT_OBJECTS];
	int ints[LPT_OBJECTS];
	void *char_refs[LPT_OBJECTS], *int_refs[LPT_OBJECTS], *again_refs[LPT_OBJECTS];
	void **char_shadows[LPT_OBJECTS], **int_shadows[LPT_OBJECTS];
	int i;

	ptr_n(NULL);
	lpt_expect_null(lpt_get(&objects[0], LPT_CHAR_ID));

	for (i = 0; i < LPT_OBJECTS; i++) {
		char_refs[i] = &chars[i];
		ptr_n(char_refs[i]);
		char_shadows[i] = i % 2 ? lpt_alloc(&objects[i], LPT_CHAR_ID, &char_refs[i])
					: lpt_get_or_alloc(&objects[i], LPT_CHAR_ID, &char_refs[i]);
		if (!char_shadows[i])
			return -ENOMEM;
		int_refs[i] = &ints[i];
		ptr_n(int_refs[i]);
		int_shadows[i] = lpt_alloc(&objects[i], LPT_INT_ID, &int_refs[i]);
		if (!int_shadows[i])
			return -ENOMEM;
	}

	for (i = 0; i < LPT_OBJECTS; i++) {
		lpt_expect_pointing(lpt_get(&objects[i], LPT_CHAR_ID), char_shadows[i], char_refs[i]);
		lpt_expect_pointing(lpt_get(&objects[i], LPT_INT_ID), int_shadows[i], int_refs[i]);
	}

	for (i = 0; i < LPT_OBJECTS; i++) {
		again_refs[i] = &chars[i];
		ptr_n(again_refs[i]);
		lpt_expect_pointing(lpt_get_or_alloc(&objects[i], LPT_CHAR_ID, &again_refs[i]),
				    char_shadows[i], char_refs[i]);
	}

	for (i = 0; i < LPT_OBJECTS; i++) {
		lpt_free(&objects[i], LPT_CHAR_ID);
		lpt_expect_null(lpt_get(&objects[i], LPT_CHAR_ID));
	}

	for (i = 0; i < LPT_OBJECTS; i++)
		lpt_expect_pointing(lpt_get(&objects[i], LPT_INT_ID), int_shadows[i], int_refs[i]);

	lpt_free_all(LPT_INT_ID);
	for (i = 0; i < LPT_OBJECTS; i++)
		lpt_expect_null(lpt_get(&objects[i], LPT_INT_ID));
	return 0;
}

static int __init lpt_shadow_vars_init(void)
{
	int ret = lpt_exercise();

	klp_shadow_free_all(LPT_CHAR_ID, NULL);
	klp_shadow_free_all(LPT_INT_ID, NULL);
	return ret;
}

static void __exit lpt_shadow_vars_exit(void)
{
}

module_init(lpt_shadow_vars_init);
module_exit(lpt_shadow_vars_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("livepatch-testkit: exercises the shadow-variable API and logs every call");
