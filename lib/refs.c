/*
 * refs.c -- reference counts of containers stored in other containers
 *
 * Storing a container as a value takes a reference, overwriting or
 * removing it drops one, in the same transaction. When the last goes, the
 * container and everything only it held are freed. Freeing runs from a
 * work list rather than by recursion, so depth is bounded by memory, not by
 * the C stack.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

static PK_TLS struct {
	uint64_t *v;
	size_t n, cap;
	int active;
} work;

static int
magic_of(pk_type t)
{
	return t == PK_MAP ? PK_MAGIC_MAP : 0;
}

int
pk__ref_acquire(pk_pool *pool, const pk_value *v)
{
	struct pk_obj_hdr *h;
	int rc = pk__container_check((void **)&h, pool, v->u.ref.off,
			magic_of(v->type), sizeof(*h));
	if (rc != 0)
		return rc == PK_ECORRUPT ? pk__err(PK_ESTALE, "no container "
				"at that offset") : rc;
	if (h->gen != v->u.ref.gen)
		return pk__err(PK_ESTALE, NULL);
	rc = pk__snap(&h->refcount, sizeof(h->refcount));
	if (rc == 0)
		h->refcount++;
	return rc;
}

/* drop -- drop one reference to the container at off */
static int
drop(pk_pool *pool, uint64_t off)
{
	struct pk_obj_hdr *h = pk__ptr(pool, off, sizeof(*h));
	int rc;

	if (h == NULL || h->magic != PK_MAGIC_MAP || h->refcount == 0)
		return pk__err(PK_ECORRUPT, "bad reference to %llu",
				(unsigned long long)off);
	rc = pk__snap(&h->refcount, sizeof(h->refcount));
	if (rc != 0)
		return rc;
	if (--h->refcount > 0)
		return 0;
	return pk__map_destroy(pool, off);
}

int
pk__ref_release(pk_pool *pool, uint64_t off)
{
	int rc = 0;

	if (work.n == work.cap) {
		size_t cap = work.cap ? work.cap * 2 : 64;
		uint64_t *v = realloc(work.v, cap * sizeof(*v));
		if (v == NULL)
			return pk__err(ENOMEM, NULL);
		work.v = v;
		work.cap = cap;
	}
	work.v[work.n++] = off;
	if (work.active)
		return 0; /* the loop below, further up the stack, takes it */
	work.active = 1;
	while (work.n > 0 && rc == 0)
		rc = drop(pool, work.v[--work.n]);
	work.n = 0;
	work.active = 0;
	return rc;
}
