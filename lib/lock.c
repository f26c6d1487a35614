/*
 * lock.c -- threads
 *
 * Each open pool has a reader-writer lock, and its containers have one
 * each: PK_STRIPES of them in the pool struct, a container using the one
 * its offset hashes to. They live in volatile memory: a lock in the pool
 * would need resetting after a crash, and nothing persistent depends on
 * them.
 *
 * - A read of a container holds the pool's lock shared and the
 *   container's shared, so readers run in parallel (the short reads first
 *   try without locks: lock.h).
 * - A change to a container that stores no reference holds the pool's
 *   lock shared and the container's exclusively, so writers to different
 *   containers run in parallel, each in its own libpmemobj transaction.
 *   Such a change writes only the container's own objects, and
 *   libpmemobj's allocator and transactions are safe across threads; what
 *   the pool struct keeps for all containers (unsynced map counts, handle
 *   counts) has its own lock or atomics. A change that would drop a
 *   reference (overwrite or remove a container value) returns
 *   PK__ERELOCK and runs again as below: before it changes anything
 *   when it looks at the value it replaces (pk__ref_drop_check), else
 *   when refs.c meets the reference, before the count is touched, and
 *   its transaction is aborted. A leaf container (layout.h: none of its
 *   values refers to a container) never does; one that says it is a leaf
 *   and holds a reference is damaged, and the change fails.
 * - Every other change holds the pool's lock exclusively: storing or
 *   dropping a reference writes the count in the referenced container's
 *   header, dropping the last one frees a whole subtree, creating a
 *   container takes the pool's generation counter, and gc and check walk
 *   everything. So does a user transaction, from pk_tx_begin() to its end
 *   (its own calls in between find the lock already theirs): its changes
 *   are not final until it ends, and an abort restores the snapshots it
 *   took, which would erase another thread's later change to the same
 *   bytes.
 *
 * A container's leaf field does not change under the pool's shared lock:
 * only a writer holding it exclusively turns a leaf into a non-leaf or
 * back (a clear). A thread holds at most one container lock, always taken
 * after the pool's, and takes no lock twice (the locks prefer writers; a
 * second shared hold would deadlock behind a waiting writer).
 */
#include <stdlib.h>

#include "internal.h"

/* the pool whose lock this thread holds across calls (a user transaction) */
PK_TLS pk_pool *pk__held;
#define held pk__held

/* the container this thread changes under its own lock alone, or 0, and
 * whether it is a leaf (layout.h): pk__lock_reach() */
static PK_TLS uint64_t local;
static PK_TLS int local_leaf;

/* pk_set_wait_hooks(): set once, before threads start */
static pk_wait_begin_fn wait_begin;
static pk_wait_end_fn wait_end;

/* pk_set_wait_hooks -- have every wait for a pool's lock bracketed by two
 * functions (pmemkit.h) */
void
pk_set_wait_hooks(pk_wait_begin_fn begin, pk_wait_end_fn end)
{
	wait_begin = begin;
	wait_end = end;
}

/*
 * acquire -- take a lock; when that means waiting, let the language
 * runtime release its own lock (a GIL) around the wait, or the holder of
 * ours could wait forever for the runtime's
 */
static void
acquire(pthread_rwlock_t *lock, int excl)
{
	void *ctx;

	if ((excl ? pthread_rwlock_trywrlock(lock) :
			pthread_rwlock_tryrdlock(lock)) == 0)
		return;
	ctx = wait_begin != NULL ? wait_begin() : NULL;
	if (excl)
		pthread_rwlock_wrlock(lock);
	else
		pthread_rwlock_rdlock(lock);
	if (wait_end != NULL)
		wait_end(ctx);
}

/* rwlock_init -- a reader-writer lock that prefers writers */
static int
rwlock_init(pthread_rwlock_t *lock)
{
	pthread_rwlockattr_t a;
	int e;

	if ((e = pthread_rwlockattr_init(&a)) != 0)
		return e;
	/* a steady stream of readers cannot starve writers */
	pthread_rwlockattr_setkind_np(&a,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	e = pthread_rwlock_init(lock, &a);
	pthread_rwlockattr_destroy(&a);
	return e;
}

/* pk__lock_init -- the locks of a new pool struct; a failure leaves
 * nothing to destroy: glibc's locks hold no resources */
int
pk__lock_init(pk_pool *pool)
{
	int e = rwlock_init(&pool->lock);

	if (e == 0)
		e = pthread_mutex_init(&pool->unsynced.lock, NULL);
	for (unsigned i = 0; e == 0 && i < PK_STRIPES; i++)
		e = rwlock_init(&pool->stripe[i].lock);
	return e;
}

/* pk__lock_destroy -- destroy the locks of a pool struct */
void
pk__lock_destroy(pk_pool *pool)
{
	for (unsigned i = 0; i < PK_STRIPES; i++)
		pthread_rwlock_destroy(&pool->stripe[i].lock);
	pthread_mutex_destroy(&pool->unsynced.lock);
	pthread_rwlock_destroy(&pool->lock);
}

/*
 * seq_enter -- make a sequence number odd: a writer starts. A writer
 * makes a seq odd when it takes the lock and even again before it lets go
 * (the pool's with the pool's lock exclusively, a stripe's with the
 * stripe's), so an optimistic reader (lock.h) that finds the same even
 * numbers before and after its read knows no writer ran meanwhile.
 * Only the writer, holding the lock, changes seq: plain stores, ordered by
 * fences.
 */
static void
seq_enter(uint64_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELAXED);
	/* the odd number is seen before any of the writer's changes */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* seq_leave -- make it even again: the writer is done */
static void
seq_leave(uint64_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELEASE);
}

/* lock_pool -- take the pool's lock, shared or exclusively, into l */
static void
lock_pool(struct pk_lock *l, pk_pool *pool, int excl)
{
	acquire(&pool->lock, excl);
	if (excl)
		seq_enter(&pool->seq);
	l->pool = pool;
	l->excl = excl;
}

/* unlock_pool -- release the pool's lock l holds */
static void
unlock_pool(struct pk_lock *l)
{
	if (l->excl)
		seq_leave(&l->pool->seq);
	pthread_rwlock_unlock(&l->pool->lock);
	l->pool = NULL;
}

/* lockable -- whether a call on pool takes locks; l holds none yet */
static int
lockable(struct pk_lock *l, pk_pool *pool)
{
	l->pool = NULL;
	l->stripe = NULL;
	l->excl = 0;
	l->swrite = 0;
	return pool != NULL && held != pool;
}

/*
 * pk__lock -- take the pool's lock into l, unless this thread holds it for
 * its transaction
 */
void
pk__lock(struct pk_lock *l, pk_pool *pool, int excl)
{
	if (lockable(l, pool))
		lock_pool(l, pool, excl);
}

/* lock_stripe -- take the lock of the container of h, shared or exclusively */
static void
lock_stripe(struct pk_lock *l, const struct pk_handle *h, int excl)
{
	l->stripe = pk__stripe(h->pool, h->off);
	l->swrite = excl;
	acquire(&l->stripe->lock, excl);
	if (excl)
		seq_enter(&l->stripe->seq);
}

/* pk__lock_read -- the locks of a read of the container of h */
void
pk__lock_read(struct pk_lock *l, const struct pk_handle *h)
{
	if (!lockable(l, h != NULL ? h->pool : NULL))
		return;
	lock_pool(l, h->pool, 0);
	lock_stripe(l, h, 0);
}

/*
 * leafness -- whether the container of h is a leaf (1) or not (0), read
 * under the pool's lock; -1 for anything unexpected (a stale handle,
 * damage): the change then runs under the pool's exclusive lock, where it
 * reports the fault.
 */
static int
leafness(const struct pk_handle *h)
{
	const struct pk_kind *k = pk__kind_of_magic(h->magic);
	const struct pk_obj_hdr *hdr;

	if (k == NULL || h->pool->pop == NULL)
		return -1;
	if (k->leaf_off == 0)
		return 1;
	hdr = pk__ptr(h->pool, h->off, k->hdr_size);
	if (hdr == NULL || hdr->magic != k->magic || hdr->gen != h->gen)
		return -1;
	return *(const uint64_t *)((const char *)hdr + k->leaf_off) ==
		PK_LEAF;
}

/*
 * pk__lock_write -- the locks of a change of the container of h (refs:
 * whether it stores a container reference)
 */
void
pk__lock_write(struct pk_lock *l, const struct pk_handle *h, int refs)
{
	if (!lockable(l, h != NULL ? h->pool : NULL))
		return;
	if (!refs) {
		lock_pool(l, h->pool, 0);
		int leaf = leafness(h);
		if (leaf >= 0) {
			lock_stripe(l, h, 1);
			local = h->off;
			local_leaf = leaf;
			return;
		}
		unlock_pool(l);
	}
	lock_pool(l, h->pool, 1);
}

/* pk__unlock -- release what l holds */
void
pk__unlock(struct pk_lock *l)
{
	if (l->stripe != NULL) {
		if (l->swrite) {
			local = 0;
			seq_leave(&l->stripe->seq);
		}
		pthread_rwlock_unlock(&l->stripe->lock);
		l->stripe = NULL;
	}
	if (l->pool != NULL)
		unlock_pool(l);
}

/*
 * pk__lock_reach -- a change under one container's lock alone must not
 * reach another container. It asks here when it would take or drop a
 * reference: it is then run again under the pool's exclusive lock
 * (PK__ERELOCK). In a container that says it is a leaf, a reference is
 * damage.
 */
int
pk__lock_reach(void)
{
	if (PK_LIKELY(local == 0))
		return 0;
	return local_leaf ? pk__err(PK_ECORRUPT, "a leaf container holds a "
			"reference") : PK__ERELOCK;
}

/*
 * pk__write_begin -- start a change of the container of h (lock.c's rules
 * above; refs: whether the change stores a container reference). Every
 * change of a container starts here, before its own fast paths (an
 * atomic insert, a log's append) write anything: PK_EREADONLY, taking no
 * lock, for a pool opened read-only. A NULL h, or a closed pool, is left
 * to the change to report.
 */
int
pk__write_begin(struct pk_write *w, const struct pk_handle *h, int refs)
{
	int rc;

	if (h != NULL && (rc = pk__writable(h->pool)) != 0)
		return rc;
	w->h = h;
	pk__lock_write(&w->lock, h, refs);
	return 0;
}

/*
 * pk__write_done -- end a change that returned rc: 1 if that stands, 0 if
 * it must run again (PK__ERELOCK), now under the pool's exclusive lock
 */
int
pk__write_done(struct pk_write *w, int rc)
{
	pk__unlock(&w->lock);
	if (rc != PK__ERELOCK)
		return 1;
	pk__lock_write(&w->lock, w->h, 1);
	return 0;
}

/*
 * pk__lock_hold -- take the pool's lock exclusively for this thread's
 * transaction
 */
void
pk__lock_hold(pk_pool *pool)
{
	struct pk_lock l;

	lock_pool(&l, pool, 1);
	held = pool;
}

/* pk__lock_release -- release the hold pk__lock_hold() took */
void
pk__lock_release(pk_pool *pool)
{
	struct pk_lock l = { .pool = pool, .excl = 1 };

	if (held != pool)
		return;
	held = NULL;
	unlock_pool(&l);
}

/*
 * pk__lock_take -- the pool's exclusive lock into l, taking over this
 * thread's hold if it has one (pk_pool_close())
 */
int
pk__lock_take(struct pk_lock *l, pk_pool *pool)
{
	if (lockable(l, pool)) {
		lock_pool(l, pool, 1);
		return 0;
	}
	held = NULL;
	l->pool = pool;
	l->excl = 1;
	return 1;
}

/* pk__refs_in -- whether any of vals[0..n) refers to a container */
int
pk__refs_in(const pk_value *vals, size_t n)
{
	for (size_t i = 0; vals != NULL && i < n; i++)
		if (pk__kind_of_type(vals[i].type) != NULL)
			return 1;
	return 0;
}
