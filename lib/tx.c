/*
 * tx.c -- transactions
 *
 * libpmemobj transactions are per thread and nest flatly. The user's levels
 * are counted here and only the outermost one begins and ends a libpmemobj
 * transaction, so an aborted transaction never reaches libpmemobj calls
 * that are invalid in its stage (they would abort the process). Failures
 * inside libpmemobj return codes (POBJ_TX_FAILURE_RETURN); no setjmp.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SNAPPED 4

static PK_TLS struct {
	pk_pool *pool;		/* pool of the user's transaction */
	int depth;		/* user levels open */
	int aborted;		/* the code that aborted it, or 0 */
	int wrote;		/* the current operation changed the pool */
	int merged;		/* a map merged buckets in this transaction */
	struct pk_vec created;	/* containers created in this transaction */
	/* the last ranges snapshotted in this libpmemobj transaction: a
	 * batch of puts snapshots the same map header every time, and
	 * libpmemobj's own lookup of a range it has costs a tree walk */
	struct { const void *ptr; size_t len; } snapped[SNAPPED];
	unsigned snapped_next;
} tls;

/* begin -- start a libpmemobj transaction that reports failures */
static int
begin(pk_pool *pool)
{
	if (pmemobj_tx_stage() != TX_STAGE_NONE)
		return pk__err(PK_ETXN, "a libpmemobj transaction is already "
				"open in this thread");
	if (pmemobj_tx_begin(pool->pop, NULL, TX_PARAM_NONE) != 0) {
		int e = pmemobj_tx_errno();
		pmemobj_tx_end();
		return pk__err_pmemobj(pk__errno_code(e),
				"cannot begin a transaction");
	}
	pmemobj_tx_set_failure_behavior(POBJ_TX_FAILURE_RETURN);
	tls.created.n = 0;
	tls.merged = 0;
	memset(tls.snapped, 0, sizeof(tls.snapped));
	return 0;
}

/*
 * forget_created -- after an abort the containers created in the
 * transaction are gone; clearing their magic (volatile memory that
 * libpmemobj gave back) makes every handle to them report PK_ESTALE.
 */
static void
forget_created(pk_pool *pool)
{
	for (size_t i = 0; i < tls.created.n; i++) {
		struct pk_obj_hdr *h = pk__ptr(pool, tls.created.v[i],
				sizeof(*h));
		if (h != NULL)
			h->magic = 0;
	}
	tls.created.n = 0;
}

/* end -- finish the libpmemobj transaction: commit unless rc says abort */
static int
end(pk_pool *pool, int rc)
{
	if (pmemobj_tx_stage() == TX_STAGE_WORK) {
		if (rc == 0)
			pmemobj_tx_commit();
		else
			pmemobj_tx_abort(ECANCELED);
	}
	int e = pmemobj_tx_end();
	if (rc == 0 && e != 0)
		rc = pk__err_pmemobj(pk__errno_code(e), "commit failed");
	if (rc != 0)
		forget_created(pool);
	tls.created.n = 0;
	return rc;
}

/* joinable -- whether work on pool may join the open user transaction */
static int
joinable(pk_pool *pool)
{
	if (tls.pool != pool)
		return pk__err(PK_ETXN, "this thread has a transaction open on "
				"another pool");
	if (tls.aborted)
		return pk__err(PK_EABORTED, "end the aborted transaction first");
	return 0;
}

/*
 * pk__op_begin -- start an operation on pool: a write joins the user's
 * transaction or begins one of its own; a read needs none
 */
int
pk__op_begin(struct pk_op *op, pk_pool *pool, int write)
{
	int rc;

	op->pool = pool;
	op->write = write;
	op->own = 0;
	if (PK_UNLIKELY(pool == NULL))
		return pk__err(EINVAL, "NULL pool");
	if (PK_UNLIKELY(pool->pop == NULL))
		return pk__err(PK_ECLOSED, NULL);
	if (!write)
		return 0; /* reads need no transaction */
	if ((rc = pk__writable(pool)) != 0)
		return rc;
	if (tls.depth > 0) {
		if ((rc = joinable(pool)) != 0)
			return rc;
	} else {
		rc = begin(pool);
		if (rc != 0)
			return rc;
		op->own = 1;
	}
	tls.wrote = 0;
	return 0;
}

/*
 * pk__op_end -- finish an operation. A failed operation that had changed
 * the pool aborts the transaction it ran in: its own, or the user's, whose
 * later operations then report PK_EABORTED. A failure before any change
 * (bad argument, key not found) leaves the user's transaction usable.
 */
int
pk__op_end(struct pk_op *op, int rc)
{
	int failed = rc != 0 && rc != PK_NOTFOUND;

	if (!op->write)
		return rc;
	if (op->own) {
		int r = end(op->pool, failed ? rc : 0);
		return failed ? rc : (r != 0 ? r : rc);
	}
	if (failed && tls.wrote) {
		pmemobj_tx_abort(ECANCELED);
		forget_created(op->pool);
		tls.aborted = rc;
	}
	return rc;
}

/*
 * The helpers below note that the operation changed the pool only once
 * their call succeeded: a failure before any change (the first allocation
 * finds no space) leaves the user's transaction usable.
 */

/* pk__snap -- snapshot a range about to be written */
int
pk__snap(const void *ptr, size_t len)
{
	for (unsigned i = 0; i < SNAPPED; i++) {
		if (tls.snapped[i].ptr == ptr && tls.snapped[i].len >= len) {
			tls.wrote = 1;
			return 0;
		}
	}
	int e = pmemobj_tx_xadd_range_direct(ptr, len, POBJ_XADD_NO_ABORT);
	if (PK_UNLIKELY(e != 0))
		return pk__err_pmemobj(pk__errno_code(e), "snapshot failed");
	tls.snapped[tls.snapped_next].ptr = ptr;
	tls.snapped[tls.snapped_next].len = len;
	tls.snapped_next = (tls.snapped_next + 1) % SNAPPED;
	tls.wrote = 1;
	return 0;
}

/* pk__tx_none -- whether this thread has no transaction open at all */
int
pk__tx_none(void)
{
	return tls.depth == 0 && pmemobj_tx_stage() == TX_STAGE_NONE;
}

/* pk__tx_merged -- whether a map merged buckets in this transaction */
int
pk__tx_merged(void)
{
	return tls.merged;
}

/* pk__tx_set_merged -- note a bucket merge in this transaction */
void
pk__tx_set_merged(void)
{
	tls.merged = 1;
}

unsigned long pk__test_fail_alloc;

/* pk__alloc -- allocate an object in the running transaction */
int
pk__alloc(pk_pool *pool, uint64_t *off, size_t size, uint64_t type_num,
		int zero)
{
	if (PK_UNLIKELY(pk__test_fail_alloc != 0) &&
	    --pk__test_fail_alloc == 0)
		return pk__err(PK_ENOSPACE, "allocation failed (injected)");
	uint64_t flags = POBJ_XALLOC_NO_ABORT |
		(zero ? POBJ_XALLOC_ZERO : 0) | pk__alloc_flags(pool, size);
	PMEMoid oid = pmemobj_tx_xalloc(size, type_num, flags);
	if (PK_UNLIKELY(OID_IS_NULL(oid))) {
		int e = errno;
		return pk__err_pmemobj(pk__errno_code(e ? e : ENOMEM),
				"allocation failed");
	}
	tls.wrote = 1;
	*off = oid.off;
	/* past the bound only where a growing pool's heap grew */
	if (PK_UNLIKELY(oid.off + size > __atomic_load_n(&pool->size,
					__ATOMIC_RELAXED)))
		pk__pool_grew(pool, oid.off + pmemobj_alloc_usable_size(oid));
	return 0;
}

/* pk__free -- free an object when the running transaction commits */
int
pk__free(pk_pool *pool, uint64_t off)
{
	PMEMoid oid = { pool->uuid_lo, off };
	pk__map_freeing(pool, off);
	int e = pmemobj_tx_xfree(oid, POBJ_XFREE_NO_ABORT);
	if (PK_UNLIKELY(e != 0))
		return pk__err_pmemobj(pk__errno_code(e), "free failed");
	tls.wrote = 1;
	return 0;
}

/* pk__created -- note a container created in the running transaction */
int
pk__created(pk_pool *pool, uint64_t off)
{
	(void)pool;
	return pk__tls_vec_push(&tls.created, off);
}

/*
 * pk_tx_begin -- open one more level of the user's transaction; the first
 * takes the pool's lock and begins the libpmemobj transaction. Refused on
 * a read-only pool: a transaction is for writing, and reads need none.
 */
int
pk_tx_begin(pk_pool *pool)
{
	int rc;

	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if ((rc = pk__writable(pool)) != 0)
		return rc;
	if (tls.depth > 0) {
		if ((rc = joinable(pool)) != 0)
			return rc;
		tls.depth++;
		return 0;
	}
	/* the transaction holds the pool's lock until it ends (lock.c) */
	pk__lock_hold(pool);
	rc = pool->pop == NULL ? pk__err(PK_ECLOSED, NULL) : begin(pool);
	if (rc != 0) {
		pk__lock_release(pool);
		return rc;
	}
	tls.pool = pool;
	tls.depth = 1;
	tls.aborted = 0;
	return 0;
}

/* check_open -- whether this thread has a transaction open on pool */
static int
check_open(pk_pool *pool)
{
	if (pool == NULL)
		return pk__err(EINVAL, "NULL pool");
	if (tls.depth == 0 || tls.pool != pool)
		return pk__err(PK_ETXN, "no transaction is open on this pool "
				"in this thread");
	return 0;
}

/* finish -- end one user level; the last one ends the transaction */
static int
finish(pk_pool *pool, int rc)
{
	if (--tls.depth > 0)
		return rc;
	rc = end(pool, rc);
	tls.pool = NULL;
	tls.aborted = 0;
	pk__lock_release(pool);
	return rc;
}

/*
 * pk_tx_commit -- end one level; the last commits. In an aborted
 * transaction each level ends with PK_EABORTED and nothing is committed.
 */
int
pk_tx_commit(pk_pool *pool)
{
	int rc = check_open(pool);
	if (rc != 0)
		return rc;
	if (tls.aborted)
		return finish(pool, pk__err(PK_EABORTED,
				"the transaction was aborted by: %s",
				pk_strerror(tls.aborted)));
	return finish(pool, 0);
}

/* pk_tx_abort -- undo the whole transaction now, and end one level */
int
pk_tx_abort(pk_pool *pool)
{
	int rc = check_open(pool);
	if (rc != 0)
		return rc;
	if (!tls.aborted) {
		pmemobj_tx_abort(ECANCELED);
		forget_created(pool);
		tls.aborted = PK_EABORTED;
	}
	finish(pool, PK_EABORTED);
	return 0;
}

/* pk_tx_depth -- the levels this thread has open on pool */
int
pk_tx_depth(pk_pool *pool)
{
	return pool != NULL && tls.pool == pool ? tls.depth : 0;
}

/* pk__tx_close -- abort the calling thread's transaction on a closing pool */
int
pk__tx_close(pk_pool *pool)
{
	if (tls.depth == 0 || tls.pool != pool)
		return 0;
	if (!tls.aborted)
		pmemobj_tx_abort(ECANCELED);
	forget_created(pool);
	tls.depth = 1;
	finish(pool, PK_EABORTED);
	return pk__err(PK_EABORTED, "the pool was closed inside a "
			"transaction");
}
