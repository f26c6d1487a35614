/*
 * array.c -- being written: only the kind entry so far
 */
#include "internal.h"

static int
array_destroy(pk_pool *pool, uint64_t off)
{
	(void)pool; (void)off;
	return pk__err(PK_EKIND, "arrays are not implemented yet");
}

static int
array_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	(void)pool; (void)off; (void)w;
	return pk__err(PK_EKIND, "arrays are not implemented yet");
}

static int
array_cursor_next(struct pk_cursor *c, pk_value *key, pk_value *val)
{
	(void)c; (void)key; (void)val;
	return pk__err(PK_EKIND, "arrays are not implemented yet");
}

const struct pk_kind pk__array_kind = {
	.type = PK_ARRAY,
	.magic = PK_MAGIC_ARRAY,
	.hdr_size = sizeof(struct pk_array_hdr),
	.type_num = PK_TN_ARRAY,
	.destroy = array_destroy,
	.walk = array_walk,
	.cursor_next = array_cursor_next,
};
