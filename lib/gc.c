/*
 * gc.c -- reachability: pk_pool_check() reports, pk_pool_gc() reclaims
 *
 * Both mark from the root map through every container's walk, counting the
 * references each container receives, then look at every allocated object
 * of pmemkit's type-number range. Marking is volatile and needs memory in
 * proportion to the objects reached, not to entries (blobs aside).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mark {
	struct pk_walker w;
	struct pk_oset seen;	/* every reachable object; containers with the
				   references they receive */
	struct pk_vec todo;	/* containers reached, not yet walked */
	struct pk_vec recount;	/* pairs: a map, the entries it holds */
	pk_check_report *rep;
	int leaf;		/* the container walked says it is a leaf */
	uint64_t owner;		/* the container walked */
	pk__walk_fn visit;	/* pk__walk_movable()'s, or NULL */
	void *arg;
	/* containers whose generation was never handed out (at or above
	 * the next one): the limit that reserved it did not persist; and
	 * leaves in a pool that was of format 1 at open */
	uint64_t unreserved;
};

/*
 * on_object -- mark an allocation a container owns; one outside the pool
 * or owned twice is damage
 */
static int
on_object(struct pk_walker *w, uint64_t off, const void *field)
{
	struct mark *mk = (struct mark *)w;
	int added, rc;

	if (mk->visit != NULL && field != NULL &&
	    (rc = mk->visit(mk->arg, mk->owner, off, field)) != 0)
		return rc;
	if (pk__ptr(w->pool, off, 8) == NULL) {
		mk->rep->damaged++;
		return 0;
	}
	if ((rc = pk__oset_add(&mk->seen, off, 0, &added)) != 0)
		return rc;
	if (!added)
		mk->rep->damaged++; /* owned twice */
	return 0;
}

/*
 * on_ref -- count a reference to the container at off, queueing it to be
 * walked the first time; one that leads to no such container dangles
 */
static int
on_ref(struct pk_walker *w, uint64_t off, unsigned type)
{
	struct mark *mk = (struct mark *)w;
	const struct pk_kind *k = pk__kind_of_type(type);
	struct pk_obj_hdr *h = k ? pk__ptr(w->pool, off, k->hdr_size) : NULL;
	int added, rc;

	if (h == NULL || h->magic != k->magic) {
		mk->rep->dangling++;
		return 0;
	}
	if (mk->leaf)
		mk->rep->damaged++; /* a leaf holds no references */
	if ((rc = pk__oset_add(&mk->seen, off, 1, &added)) != 0)
		return rc;
	return added ? pk__vec_push(&mk->todo, off) : 0;
}

/* on_miscount -- note a map whose recorded count is wrong, for recount */
static int
on_miscount(struct pk_walker *w, uint64_t off, uint64_t n)
{
	struct mark *mk = (struct mark *)w;
	int rc = pk__vec_push(&mk->recount, off);
	return rc != 0 ? rc : pk__vec_push(&mk->recount, n);
}

/* in_range -- whether a libpmemobj type number is one of pmemkit's */
static int
in_range(uint64_t type_num)
{
	return type_num >= PK_TN_BASE && type_num <= PK_TN_LAST;
}

/* mark -- walk everything reachable from the root map; visit, if not
 * NULL, is called for each object that has a field (on_object()) */
static int
mark(struct mark *mk, pk_pool *pool, pk_check_report *rep,
		pk__walk_fn visit, void *arg)
{
	int rc;

	memset(mk, 0, sizeof(*mk));
	memset(rep, 0, sizeof(*rep));
	mk->visit = visit;
	mk->arg = arg;
	mk->w.pool = pool;
	mk->w.object = on_object;
	mk->w.ref = on_ref;
	mk->w.miscount = on_miscount;
	mk->rep = rep;
	/* the root's own reference to the root map */
	if ((rc = on_ref(&mk->w, pool->root->root_map, PK_MAP)) != 0)
		return rc;
	while (mk->todo.n > 0) {
		uint64_t off = mk->todo.v[--mk->todo.n];
		struct pk_obj_hdr *h = (struct pk_obj_hdr *)(pool->base + off);
		const struct pk_kind *k = pk__kind_of_magic(h->magic);
		mk->leaf = k->leaf_off != 0 && *(const uint64_t *)((char *)h +
				k->leaf_off) == PK_LEAF;
		mk->owner = off;
		mk->w.incompat |= k->incompat;
		if (h->gen >= pool->gen_next)
			mk->unreserved++;
		/* a leaf mark, written by format 2, in a container that was
		 * there before this session in a pool that said format 1 at
		 * open: the upgrade's mark did not persist */
		if (mk->leaf && pool->format_found < 2 &&
		    h->gen < pool->gen_open)
			mk->unreserved++;
		rc = k->walk(pool, off, &mk->w);
		if (rc == PK_ECORRUPT)
			rep->damaged++;
		else if (rc != 0)
			return rc;
	}
	if ((rc = pk__precheck_objects(pool)) != 0)
		return rc;
	for (PMEMoid o = pmemobj_first(pool->pop); !OID_IS_NULL(o);
			o = pmemobj_next(o)) {
		if (!in_range(pmemobj_type_num(o)))
			continue;
		rep->objects++;
		const uint64_t *c = pk__oset_find(&mk->seen, o.off);
		if (c == NULL) {
			rep->leaked++;
			continue;
		}
		rep->reachable++;
		struct pk_obj_hdr *h = (struct pk_obj_hdr *)(pool->base + o.off);
		const struct pk_kind *k = pk__kind_of_magic(h->magic);
		/* the root map's count includes the root's reference */
		if (k != NULL && pmemobj_type_num(o) == k->type_num &&
		    h->refcount != *c)
			rep->refcounts++;
	}
	return 0;
}

/* mark_free -- free the volatile memory of a marking */
static void
mark_free(struct mark *mk)
{
	free(mk->seen.key);
	free(mk->seen.count);
	free(mk->todo.v);
	free(mk->recount.v);
}

/* healthy -- whether a check report found nothing wrong */
static int
healthy(const pk_check_report *r)
{
	return r->leaked == 0 && r->dangling == 0 && r->refcounts == 0 &&
		r->damaged == 0;
}

/*
 * pool_check -- mark from the root map and fill *out; PK_ECORRUPT
 * if anything is leaked, dangling, miscounted or damaged
 */
static int
pool_check(pk_check_report *out, pk_pool *pool)
{
	pk_check_report rep;
	struct mark mk;
	int rc;

	if (out == NULL || pool == NULL)
		return pk__err(EINVAL, "NULL argument");
	if (out->version != PK_CHECK_REPORT_VERSION)
		return pk__err(EINVAL, "pk_check_report version %u unknown "
				"(this library's is %d)", out->version,
				PK_CHECK_REPORT_VERSION);
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	rc = mark(&mk, pool, &rep, NULL, NULL);
	/* outside recovery, a count that disagrees is damage */
	rep.damaged += mk.recount.n / 2;
	/* so is a generation number no durable limit reserved, a leaf in a
	 * pool of format 1, and a feature the root does not declare (an
	 * older library would open the pool and misread it) */
	rep.damaged += mk.unreserved;
	if ((mk.w.incompat & ~pool->root->incompat) != 0)
		rep.damaged++;
	mark_free(&mk);
	rep.version = out->version;
	*out = rep;
	if (rc != 0)
		return rc;
	if (!healthy(out))
		return pk__err(PK_ECORRUPT, "%llu leaked, %llu dangling, %llu "
				"wrong reference counts, %llu damaged",
				(unsigned long long)out->leaked,
				(unsigned long long)out->dangling,
				(unsigned long long)out->refcounts,
				(unsigned long long)out->damaged);
	return 0;
}

/* sweep -- free what marking did not reach; set reference counts right */
static int
sweep(pk_pool *pool, struct mark *mk, uint64_t *freed)
{
	int rc = pk__precheck_objects(pool);

	/* pmemobj_first() itself walks: not into a header that loops */
	if (rc != 0)
		return rc;
	for (PMEMoid o = pmemobj_first(pool->pop);
			!OID_IS_NULL(o) && rc == 0; o = pmemobj_next(o)) {
		uint64_t tn = pmemobj_type_num(o);
		struct pk_obj_hdr *h = (struct pk_obj_hdr *)(pool->base + o.off);
		const struct pk_kind *k = pk__kind_of_magic(h->magic);
		int container = k != NULL && k->type_num == tn;
		const uint64_t *c;

		if (!in_range(tn))
			continue;
		if ((c = pk__oset_find(&mk->seen, o.off)) == NULL) {
			rc = container ? pk__obj_free(pool, o.off) :
				pk__free(pool, o.off);
			(*freed)++;
		} else if (container && h->refcount != *c) {
			rc = pk__snap(&h->refcount, sizeof(h->refcount));
			if (rc == 0)
				h->refcount = *c;
		}
	}
	return rc;
}

/*
 * set_count -- record n entries in the container at off (its kind's count
 * field), and a change for its cursors; snapshotted in the running
 * transaction, or (snap 0) with plain stores
 */
static int
set_count(pk_pool *pool, uint64_t off, uint64_t n, int snap)
{
	char *hdr = pool->base + off;
	const struct pk_kind *k =
		pk__kind_of_magic(((const struct pk_obj_hdr *)hdr)->magic);
	uint64_t *count, *modcount;
	int rc;

	/* only a kind that keeps its count in one field reports it off */
	if (k == NULL || k->count_off == 0)
		return pk__err(PK_ECORRUPT, "a recount of a container that "
				"keeps no count");
	count = (uint64_t *)(hdr + k->count_off);
	modcount = (uint64_t *)(hdr + k->modcount_off);
	if (snap && ((rc = pk__snap(count, sizeof(*count))) != 0 ||
	    (rc = pk__snap(modcount, sizeof(*modcount))) != 0))
		return rc;
	*count = n;
	(*modcount)++;
	return 0;
}

/* recount -- set the counts of the containers in v (pairs: container,
 * entries), which the walk found off; snap as set_count() */
static int
recount(pk_pool *pool, const struct pk_vec *v, int snap)
{
	int rc = 0;

	for (size_t i = 0; i + 1 < v->n && rc == 0; i += 2)
		rc = set_count(pool, v->v[i], v->v[i + 1], snap);
	return rc;
}

/*
 * pk__gc -- set right the counts a crash left; then, unless marking met
 * damage or dangling references, free what is unreachable and correct
 * reference counts
 */
int
pk__gc(pk_pool *pool, uint64_t *freed)
{
	pk_check_report rep;
	struct mark mk;
	struct pk_op op;
	int rc;

	*freed = 0;
	rc = mark(&mk, pool, &rep, NULL, NULL);
	/* counts left behind by a crash (map_atomic.c) are set
	 * right whatever else is found: the maps were walked whole */
	if (rc == 0 && mk.recount.n > 0 &&
	    (rc = pk__op_begin(&op, pool, 1)) == 0)
		rc = pk__op_end(&op, recount(pool, &mk.recount, 1));
	if (rc == 0 && (rep.dangling || rep.damaged))
		rc = pk__err(PK_ECORRUPT, "%llu dangling references, %llu "
				"damaged objects: nothing freed",
				(unsigned long long)rep.dangling,
				(unsigned long long)rep.damaged);
	if (rc == 0 && (rep.leaked || rep.refcounts)) {
		if ((rc = pk__op_begin(&op, pool, 1)) == 0)
			rc = pk__op_end(&op, sweep(pool, &mk, freed));
		if (rc != 0)
			*freed = 0;
	}
	mark_free(&mk);
	return rc;
}

/*
 * pk__walk_movable -- mark from the root map as check does, filling *rep,
 * and call visit for every object reached whose walk gave the field that
 * holds its offset, in the order of the walks
 */
int
pk__walk_movable(pk_pool *pool, pk_check_report *rep, pk__walk_fn visit,
		void *arg)
{
	struct mark mk;
	int rc;

	rc = mark(&mk, pool, rep, visit, arg);
	mark_free(&mk);
	return rc;
}

/*
 * pk__recount_private -- pk__gc()'s recount alone, with plain stores: for
 * a read-only pool, whose mapping is private (readonly.c), so that its
 * reads see the counts while the file keeps its own
 */
int
pk__recount_private(pk_pool *pool)
{
	pk_check_report rep;
	struct mark mk;
	int rc = mark(&mk, pool, &rep, NULL, NULL);

	if (rc == 0)
		rc = recount(pool, &mk.recount, 0);
	mark_free(&mk);
	return rc;
}

/*
 * pk__pool_change_ok -- whether a change of the whole pool (what: gc,
 * defrag) may run on pool: open, writable and outside any transaction
 * (its own transactions commit as it goes)
 */
int
pk__pool_change_ok(pk_pool *pool, const char *what)
{
	int rc;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if ((rc = pk__writable(pool)) != 0)
		return rc;
	if (pk_tx_depth(pool) > 0)
		return pk__err(PK_ETXN, "%s cannot run inside a transaction",
				what);
	return 0;
}

/* pool_gc -- pk__gc, refused inside a transaction */
static int
pool_gc(uint64_t *freed, pk_pool *pool)
{
	uint64_t n;
	int rc;

	if ((rc = pk__pool_change_ok(pool, "gc")) != 0)
		return rc;
	rc = pk__gc(pool, &n);
	if (freed != NULL)
		*freed = n;
	return rc;
}

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_pool_check -- report leaks, dangling references, wrong counts, damage */
int
pk_pool_check(pk_check_report *out, pk_pool *pool)
{
	/* the walk must not meet writers to single containers (lock.c) */
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = pool_check(out, pool);
	pk__unlock(&l);
	return rc;
}

/* pk_pool_gc -- free what nothing reaches, correct reference counts */
int
pk_pool_gc(uint64_t *freed, pk_pool *pool)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = pool_gc(freed, pool);
	pk__unlock(&l);
	return rc;
}
