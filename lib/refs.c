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

static PK_TLS struct pk_vec work;	/* containers to drop a reference to */
static PK_TLS int working;		/* a loop below is draining it */

/*
 * pk__ref_target -- the header of the live container a reference value
 * leads to; PK_ESTALE if there is none (freed, reused, or never was)
 */
int
pk__ref_target(struct pk_obj_hdr **out, pk_pool *pool, const pk_value *v)
{
	const struct pk_kind *k = pk__kind_of_type(v->type);
	struct pk_obj_hdr *h = k != NULL && v->u.ref.off % 8 == 0 ?
		pk__ptr(pool, v->u.ref.off, k->hdr_size) : NULL;

	if (k == NULL)
		return pk__err(PK_EVALUE, "not a container");
	if (h == NULL || h->magic != k->magic || h->gen != v->u.ref.gen)
		return pk__err(PK_ESTALE, NULL);
	*out = h;
	return 0;
}

/*
 * pk__ref_drop_check -- pk__lock_reach()'s answer for a change about to
 * overwrite or remove a stored value of this type byte, asked before it
 * changes anything: a reference then sends it to the pool's lock from the
 * start rather than through an aborted attempt
 */
int
pk__ref_drop_check(unsigned type)
{
	return pk__kind_of_type(type) != NULL ? pk__lock_reach() : 0;
}

/*
 * pk__ref_acquire -- count one more reference to the container v refers
 * to, as v is being stored; PK_ESTALE if there is no such container
 */
int
pk__ref_acquire(pk_pool *pool, const pk_value *v)
{
	struct pk_obj_hdr *h;
	int rc = pk__lock_reach();

	if (rc == 0)
		rc = pk__ref_target(&h, pool, v);

	if (rc == 0)
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
	const struct pk_kind *k = h != NULL ? pk__kind_of_magic(h->magic) :
		NULL;
	int rc;

	if (k == NULL || h->refcount == 0 ||
	    pk__ptr(pool, off, k->hdr_size) == NULL)
		return pk__err(PK_ECORRUPT, "bad reference to %llu",
				(unsigned long long)off);
	rc = pk__snap(&h->refcount, sizeof(h->refcount));
	if (rc != 0)
		return rc;
	if (--h->refcount > 0)
		return 0;
	return k->destroy(pool, off);
}

/*
 * pk__ref_release -- drop a reference to the container at off; the last
 * frees it and whatever only it held, from a work list (a call made while
 * freeing just adds to it)
 */
int
pk__ref_release(pk_pool *pool, uint64_t off)
{
	int rc = pk__lock_reach();

	if (rc == 0)
		rc = pk__tls_vec_push(&work, off);

	if (rc != 0 || working)
		return rc; /* the loop below, further up the stack, takes it */
	working = 1;
	while (work.n > 0 && rc == 0)
		rc = drop(pool, work.v[--work.n]);
	work.n = 0;
	working = 0;
	return rc;
}

/* pk__leaf_unset -- clear *leaf if one of vals[0..n) is a reference */
int
pk__leaf_unset(uint64_t *leaf, const pk_value *vals, size_t n)
{
	int rc = 0;

	if (*leaf != 0 && pk__refs_in(vals, n) &&
	    (rc = pk__snap(leaf, sizeof(*leaf))) == 0)
		*leaf = 0;
	return rc;
}

/*
 * pk__obj_free -- free a container's header, clearing its magic first so
 * every handle to it reports PK_ESTALE
 */
int
pk__obj_free(pk_pool *pool, uint64_t off)
{
	struct pk_obj_hdr *h = (struct pk_obj_hdr *)(pool->base + off);
	int rc = pk__snap(&h->magic, sizeof(h->magic));

	if (rc != 0)
		return rc;
	h->magic = 0;
	return pk__free(pool, off);
}
