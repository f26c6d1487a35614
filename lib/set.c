/*
 * set.c -- the persistent set: a map whose keys are the elements
 *
 * A set is a map (map.c, map_table.c) whose values are all nil, under a
 * header of its own magic and type number, so that a reference says
 * which it is and no language opens one as the other. Every map
 * operation works on it unchanged: the map's code looks a container up
 * through its handle, whose magic is the set's, and never compares it
 * with the map's. Adding and discarding an element are a map's put and
 * remove of a small entry, so outside a transaction they commit with the
 * map's one atomic store. A set holds no references (its values are
 * nil), so it is always a leaf.
 */
#include <errno.h>

#include "map.h"

/* set_map -- the set as the map it is built on */
static inline pk_map *
set_map(pk_set *set)
{
	return (pk_map *)set;
}

/* set_create -- allocate an empty set (the kind's create); the pool is
 * marked as one that holds sets */
static int
set_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	int rc;

	(void)arg;
	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_SET)) != 0)
		return rc;
	return pk__map_create_as(pool, off, PK_MAGIC_SET, PK_TN_SET);
}

const struct pk_kind pk__set_kind = {
	.type = PK_SET,
	.magic = PK_MAGIC_SET,
	.name = "set",
	.hdr_size = sizeof(struct pk_map_hdr),
	.type_num = PK_TN_SET,
	.incompat = PK_INCOMPAT_SET,
	.leaf_off = offsetof(struct pk_map_hdr, leaf),
	.modcount_off = offsetof(struct pk_map_hdr, modcount),
	.count_off = offsetof(struct pk_map_hdr, count),
	.create = set_create,
	.clear = pk__map_clear,
	.destroy = pk__map_destroy,
	.walk = pk__map_walk,
	.cursor_next = pk__map_cursor_next,
};

/* pk_set_add -- add an element (pmemkit.h) */
int
pk_set_add(pk_set *set, const pk_value *elem)
{
	pk_value nil = pk_nil();

	return pk_map_put(set_map(set), elem, &nil);
}

/* pk_set_discard -- remove an element (pmemkit.h) */
int
pk_set_discard(pk_set *set, const pk_value *elem)
{
	return pk_map_remove(set_map(set), elem);
}

/* pk_set_contains -- whether an element is in the set (pmemkit.h) */
int
pk_set_contains(int *out, pk_set *set, const pk_value *elem)
{
	return pk_map_contains(out, set_map(set), elem);
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_set_new -- create a new, empty set (pmemkit.h) */
int
pk_set_new(pk_set **out, pk_pool *pool)
{
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__set_kind, NULL);
}

/* pk_set_open -- open a handle to the set a value refers to (pmemkit.h) */
int
pk_set_open(pk_set **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__set_kind);
}

/* pk_set_close -- release a set handle (pmemkit.h) */
void
pk_set_close(pk_set *set)
{
	pk__container_close(PK_HANDLE_OF(set));
}

/* pk_set_value -- a value that refers to the set (pmemkit.h) */
pk_value
pk_set_value(const pk_set *set)
{
	return pk__container_value(PK_HANDLE_OF(set), &pk__set_kind);
}

/* pk_set_length -- number of elements, in O(1) (pmemkit.h) */
int
pk_set_length(uint64_t *out, pk_set *set)
{
	return pk__container_length(out, PK_HANDLE_OF(set), &pk__set_kind);
}

/* pk_set_cursor -- iterate over the elements (pmemkit.h) */
int
pk_set_cursor(pk_cursor **out, pk_set *set)
{
	return pk__container_cursor(out, PK_HANDLE_OF(set), &pk__set_kind);
}

/* pk_set_clear -- remove every element (pmemkit.h) */
int
pk_set_clear(pk_set *set)
{
	return pk__container_clear(PK_HANDLE_OF(set), &pk__set_kind);
}
