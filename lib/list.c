/*
 * list.c -- being written: only the kind entry so far
 */
#include "internal.h"

static int
list_destroy(pk_pool *pool, uint64_t off)
{
	(void)pool; (void)off;
	return pk__err(PK_EKIND, "lists are not implemented yet");
}

static int
list_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	(void)pool; (void)off; (void)w;
	return pk__err(PK_EKIND, "lists are not implemented yet");
}

static int
list_cursor_next(struct pk_cursor *c, pk_value *key, pk_value *val)
{
	(void)c; (void)key; (void)val;
	return pk__err(PK_EKIND, "lists are not implemented yet");
}

const struct pk_kind pk__list_kind = {
	.type = PK_LIST,
	.magic = PK_MAGIC_LIST,
	.hdr_size = sizeof(struct pk_list_hdr),
	.type_num = PK_TN_LIST,
	.destroy = list_destroy,
	.walk = list_walk,
	.cursor_next = list_cursor_next,
};
