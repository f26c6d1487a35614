/*
 * stats.c -- space accounting: what each kind of container holds, and
 * what one container holds, alone or with what it refers to
 *
 * A container's bytes are what its header and every allocation it owns
 * (segments, blobs, data) take of the pool, as its kind's walk reports
 * them: usable sizes and libpmemobj's header of each (pk__obj_bytes()); the containers it refers to are not its own. Its deep bytes add
 * every container reachable from it, each once however often it is
 * referred to (cycles included).
 */
#include <errno.h>
#include <stdlib.h>

#include <string.h>

#include "internal.h"
#include "lock.h"

struct sizer {
	struct pk_walker w;
	uint64_t bytes;
	struct pk_vec todo;	/* deep: containers to walk */
	struct pk_oset seen;	/* deep: containers met */
};

/* on_object -- count an allocation the container owns */
static int
on_object(struct pk_walker *w, uint64_t off, const void *field)
{
	struct sizer *s = (struct sizer *)w;

	(void)field;
	s->bytes += pk__obj_bytes(w->pool, off);
	return 0;
}

/* on_ref_shallow -- a reference, not counted */
static int
on_ref_shallow(struct pk_walker *w, uint64_t off, unsigned type)
{
	(void)w;
	(void)off;
	(void)type;
	return 0;
}

/* on_ref_deep -- a container to count too, once; a reference to no
 * container of its type is damage */
static int
on_ref_deep(struct pk_walker *w, uint64_t off, unsigned type)
{
	struct sizer *s = (struct sizer *)w;
	const struct pk_kind *k = pk__kind_of_type(type);
	const struct pk_obj_hdr *h = k ? pk__ptr(w->pool, off, k->hdr_size) :
		NULL;
	int added, rc;

	if (h == NULL || h->magic != k->magic)
		return pk__err(PK_ECORRUPT, "dangling reference to %llu",
				(unsigned long long)off);
	if ((rc = pk__oset_add(&s->seen, off, 0, &added)) != 0)
		return rc;
	return added ? pk__vec_push(&s->todo, off) : 0;
}

/* on_miscount -- not a matter of size */
static int
on_miscount(struct pk_walker *w, uint64_t off, uint64_t n)
{
	(void)w;
	(void)off;
	(void)n;
	return 0;
}

/* container_bytes -- add the container at off (checked) to s */
static int
container_bytes(struct sizer *s, uint64_t off)
{
	pk_pool *pool = s->w.pool;
	const struct pk_obj_hdr *h = (const void *)(pool->base + off);
	const struct pk_kind *k = pk__kind_of_magic(h->magic);

	if (k == NULL)
		return pk__err(PK_ECORRUPT, "no container at %llu",
				(unsigned long long)off);
	s->bytes += pk__obj_bytes(pool, off);
	return k->walk(pool, off, &s->w);
}

/* sizer_init -- a sizer of pool, deep or not */
static void
sizer_init(struct sizer *s, pk_pool *pool, int deep)
{
	memset(s, 0, sizeof(*s));
	s->w.pool = pool;
	s->w.object = on_object;
	s->w.ref = deep ? on_ref_deep : on_ref_shallow;
	s->w.miscount = on_miscount;
}

/* container_sizes -- the shallow and deep bytes of the container ref */
static int
container_sizes(uint64_t *shallow, uint64_t *deep, pk_pool *pool,
		const pk_value *ref)
{
	struct pk_obj_hdr *h;
	struct sizer s;
	int rc;

	if (shallow == NULL || deep == NULL || pool == NULL || ref == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (ref->type < PK_MAP || pk__kind_of_type(ref->type) == NULL)
		return pk__err(PK_EVALUE, "not a container reference");
	if ((rc = pk__ref_target(&h, pool, ref)) != 0)
		return rc;
	/* the objects' sizes come from their allocation headers */
	if ((rc = pk__precheck_objects(pool)) != 0)
		return rc;
	sizer_init(&s, pool, 1);
	int added;
	if ((rc = pk__oset_add(&s.seen, ref->u.ref.off, 0, &added)) != 0 ||
	    (rc = container_bytes(&s, ref->u.ref.off)) != 0)
		goto out;
	*shallow = s.bytes;
	while (s.todo.n > 0)
		if ((rc = container_bytes(&s, s.todo.v[--s.todo.n])) != 0)
			goto out;
	*deep = s.bytes;
out:
	free(s.todo.v);
	free(s.seen.key);
	free(s.seen.count);
	return rc;
}

/* pk_container_bytes -- a container's bytes, alone and with what it
 * refers to (pmemkit.h) */
int
pk_container_bytes(uint64_t *shallow, uint64_t *deep, pk_pool *pool,
		const pk_value *ref)
{
	struct pk_lock l;
	int rc;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	pk__lock(&l, pool, PK_EXCL);
	rc = pool->pop == NULL ? pk__err(PK_ECLOSED, NULL) :
		container_sizes(shallow, deep, pool, ref);
	pk__unlock(&l);
	return rc;
}

/* kind_sizes -- the containers of a kind and their bytes */
static int
kind_sizes(uint64_t *count, uint64_t *bytes, pk_pool *pool, pk_type kind)
{
	const struct pk_kind *k = pk__kind_of_type(kind);
	struct sizer s;
	uint64_t n = 0;
	int rc = 0;

	if (count == NULL || bytes == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (kind < PK_MAP || k == NULL)
		return pk__err(EINVAL, "%d is no container kind", (int)kind);
	sizer_init(&s, pool, 0);
	/* pmemobj_first() itself walks: not into a header that loops */
	if ((rc = pk__precheck_objects(pool)) != 0)
		return rc;
	for (PMEMoid o = pmemobj_first(pool->pop); !OID_IS_NULL(o) && rc == 0;
			o = pmemobj_next(o)) {
		const struct pk_obj_hdr *h = pmemobj_direct(o);
		if (pmemobj_type_num(o) != k->type_num || h->magic != k->magic)
			continue;
		n++;
		rc = container_bytes(&s, o.off);
	}
	if (rc != 0)
		return rc;
	*count = n;
	*bytes = s.bytes;
	return 0;
}

/* pk_pool_kind_stats -- the containers of a kind in the pool and their
 * bytes (pmemkit.h) */
int
pk_pool_kind_stats(uint64_t *count, uint64_t *bytes, pk_pool *pool,
		pk_type kind)
{
	struct pk_lock l;
	int rc;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	pk__lock(&l, pool, PK_EXCL);
	rc = pool->pop == NULL ? pk__err(PK_ECLOSED, NULL) :
		kind_sizes(count, bytes, pool, kind);
	pk__unlock(&l);
	return rc;
}
