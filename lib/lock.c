/*
 * lock.c -- threads
 *
 * Each open pool has one reader-writer lock in volatile memory (a lock in
 * the pool would need resetting after a crash, and nothing persistent
 * depends on it). Functions that only read hold it shared, so readers run
 * in parallel; functions that change the pool hold it exclusively.
 *
 * Writers are serialised per pool, not per container, because a change
 * is rarely confined to one container: storing or dropping a reference
 * writes the count in the referenced container's header, dropping the last
 * one frees a whole subtree, and creating a container takes the pool's
 * generation counter. A transaction's changes are also not final until it
 * ends: an abort restores the snapshots it took, which would erase another
 * thread's later change to the same bytes. So a user transaction holds the
 * lock exclusively from pk_tx_begin() to its end, and its own calls in
 * between find the lock already theirs.
 *
 * The lock prefers writers, so a steady stream of readers cannot starve
 * them; no thread ever takes the shared lock twice, which would deadlock
 * behind a waiting writer.
 */
#include <stdlib.h>

#include "internal.h"

/* the pool whose lock this thread holds across calls (a user transaction) */
PK_TLS pk_pool *pk__held;
#define held pk__held

/* pk_set_wait_hooks(): set once, before threads start */
static pk_wait_begin_fn wait_begin;
static pk_wait_end_fn wait_end;

void
pk_set_wait_hooks(pk_wait_begin_fn begin, pk_wait_end_fn end)
{
	wait_begin = begin;
	wait_end = end;
}

/*
 * acquire -- take the lock; when that means waiting, let the language
 * runtime release its own lock (a GIL) around the wait, or the holder of
 * the pool's lock could wait forever for the runtime's
 */
static void
acquire(pk_pool *pool, int excl)
{
	void *ctx;

	if ((excl ? pthread_rwlock_trywrlock(&pool->lock) :
			pthread_rwlock_tryrdlock(&pool->lock)) == 0)
		return;
	ctx = wait_begin != NULL ? wait_begin() : NULL;
	if (excl)
		pthread_rwlock_wrlock(&pool->lock);
	else
		pthread_rwlock_rdlock(&pool->lock);
	if (wait_end != NULL)
		wait_end(ctx);
}

int
pk__lock_init(pk_pool *pool)
{
	pthread_rwlockattr_t a;
	int e;

	if ((e = pthread_rwlockattr_init(&a)) != 0)
		return e;
	pthread_rwlockattr_setkind_np(&a,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	e = pthread_rwlock_init(&pool->lock, &a);
	pthread_rwlockattr_destroy(&a);
	return e;
}

void
pk__lock_destroy(pk_pool *pool)
{
	pthread_rwlock_destroy(&pool->lock);
}

/*
 * A writer makes pool->seq odd when it takes the lock and even again before
 * it lets go, so an optimistic reader (internal.h) that finds the same even
 * number before and after its read knows no writer ran meanwhile. Only the
 * writer, holding the lock, changes seq: plain stores, ordered by fences.
 */
static void
seq_enter(pk_pool *pool)
{
	__atomic_store_n(&pool->seq, pool->seq + 1, __ATOMIC_RELAXED);
	/* the odd number is seen before any of the writer's changes */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void
seq_leave(pk_pool *pool)
{
	__atomic_store_n(&pool->seq, pool->seq + 1, __ATOMIC_RELEASE);
}

void
pk__lock(struct pk_lock *l, pk_pool *pool, int excl)
{
	l->pool = NULL;
	l->excl = excl;
	if (pool == NULL || held == pool)
		return;
	acquire(pool, excl);
	if (excl)
		seq_enter(pool);
	l->pool = pool;
}

void
pk__unlock(struct pk_lock *l)
{
	if (l->pool == NULL)
		return;
	if (l->excl)
		seq_leave(l->pool);
	pthread_rwlock_unlock(&l->pool->lock);
}

void
pk__lock_hold(pk_pool *pool)
{
	acquire(pool, 1);
	seq_enter(pool);
	held = pool;
}

void
pk__lock_release(pk_pool *pool)
{
	if (held != pool)
		return;
	held = NULL;
	seq_leave(pool);
	pthread_rwlock_unlock(&pool->lock);
}

int
pk__lock_take(struct pk_lock *l, pk_pool *pool)
{
	if (held != pool) {
		pk__lock(l, pool, 1);
		return 0;
	}
	held = NULL;
	l->pool = pool;
	l->excl = 1;
	return 1;
}
