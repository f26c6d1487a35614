/*
 * lock.h -- the locks of lock.c and the brackets every public function takes them with
 */
#ifndef PK_LOCK_H
#define PK_LOCK_H

#include "internal.h"

/*
 * lock.c -- every public function that touches a pool runs under its
 * locks: the pool's, and for work on one container that container's
 * stripe, taken by the brackets below (pk__lock, pk__read_begin,
 * pk__write_begin) and released by their ends.
 */
struct pk_lock {
	pk_pool *pool;		/* the pool's lock taken, or NULL */
	struct pk_stripe *stripe; /* the container's lock taken, or NULL */
	int excl;		/* the pool's lock exclusively */
	int swrite;		/* the stripe's exclusively */
};
PK_HIDDEN int pk__lock_init(pk_pool *pool);
PK_HIDDEN void pk__lock_destroy(pk_pool *pool);
PK_HIDDEN void pk__lock(struct pk_lock *l, pk_pool *pool, int excl);
PK_HIDDEN void pk__lock_read(struct pk_lock *l, const struct pk_handle *h);
PK_HIDDEN void pk__lock_write(struct pk_lock *l, const struct pk_handle *h,
		int refs);
PK_HIDDEN void pk__unlock(struct pk_lock *l);
/* a user transaction holds its pool's lock across calls */
PK_HIDDEN void pk__lock_hold(pk_pool *pool);
PK_HIDDEN void pk__lock_release(pk_pool *pool);
/* take the lock exclusively into l, or take over this thread's hold of
 * it; returns whether it was held */
PK_HIDDEN int pk__lock_take(struct pk_lock *l, pk_pool *pool);
/* pk__stripe -- the stripe of the container at off */
static inline struct pk_stripe *
pk__stripe(pk_pool *pool, uint64_t off)
{
	/* objects are 64-byte aligned or more: mix the bits above */
	return &pool->stripe[((off >> 6) * 0x9E3779B97F4A7C15ull) >> 58];
}
/* whether any of vals[0..n) refers to a container */
PK_HIDDEN int pk__refs_in(const pk_value *vals, size_t n);
/*
 * whether the change this thread is making may reach another container
 * (take or drop a reference, refs.c): 0, or PK__ERELOCK when it runs under
 * its container's lock alone (PK_ECORRUPT if that container says it is a
 * leaf, which no reference may be in)
 */
PK_HIDDEN int pk__lock_reach(void);
/*
 * refs.c's answer when a change under a container's lock alone finds that
 * it must drop a reference: nothing of it is kept (its transaction is
 * aborted), and pk__write_done() has it run again under the pool's
 * exclusive lock.
 * Never returned to a caller; outside the range of pk_error codes.
 */
#define PK__ERELOCK (-39999)
/* a fast path's answer when the general path must decide; never returned
 * to a caller either */
#define PK__ESLOW (-39998)
/*
 * Optimistic reads: the short reads (get, contains, length) first run
 * without the locks and keep their result if no writer held the pool's
 * lock or the container's stripe meanwhile, which their seq numbers tell
 * (seqlocks). They take no atomic read-modify-write, so readers do not
 * contend for the locks' cache lines and one lookup's cache misses overlap
 * the next one's. What such a read sees may be half-written; every offset
 * it follows is bounds-checked and every loop bounded as for damaged
 * data, and the result is thrown away. ThreadSanitizer would report those
 * reads as races: its builds lock.
 */
#if defined(__SANITIZE_THREAD__)
#define PK_OPTIMISTIC 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PK_OPTIMISTIC 0
#endif
#endif
#ifndef PK_OPTIMISTIC
#define PK_OPTIMISTIC 1
#endif

PK_HIDDEN extern PK_TLS pk_pool *pk__held;

/* the handle inside a container handle or cursor; NULL stays NULL */
#define PK_HANDLE_OF(obj) ((obj) != NULL ? &(obj)->h : NULL)

struct pk_readseq {
	uint64_t pool, stripe;
	const struct pk_stripe *st;	/* the container's stripe */
};

/* pk__seq_begin -- whether an optimistic read of the container of h may
 * start; *seq for the check at its end */
static inline int
pk__seq_begin(const struct pk_handle *h, struct pk_readseq *seq)
{
	if (!PK_OPTIMISTIC || h == NULL || pk__held == h->pool)
		return 0;
	seq->st = pk__stripe(h->pool, h->off);
	seq->pool = __atomic_load_n(&h->pool->seq, __ATOMIC_ACQUIRE);
	seq->stripe = __atomic_load_n(&seq->st->seq, __ATOMIC_ACQUIRE);
	return ((seq->pool | seq->stripe) & 1) == 0;
}

/* pk__seq_valid -- whether no writer ran since pk__seq_begin() */
static inline int
pk__seq_valid(const struct pk_handle *h, const struct pk_readseq *seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&h->pool->seq, __ATOMIC_RELAXED) ==
		seq->pool && __atomic_load_n(&seq->st->seq,
				__ATOMIC_RELAXED) == seq->stripe;
}

/*
 * The brackets every public function puts around its work, as PMDK's
 * PMEMOBJ_API_START/END do; each names what it holds:
 *
 *	pk__lock(&l, pool, PK_SHARED or PK_EXCL); rc = ...; pk__unlock(&l);
 *		work on the pool as a whole, under the pool's lock;
 *
 *	pk__read_begin(&r, h, PK_READ_OPTIMISTIC or PK_READ_LOCKED);
 *	do
 *		rc = ...;
 *	while (!pk__read_done(&r));
 *		a read of the container of handle h. An optimistic read runs
 *		first without locks and stands if no writer ran meanwhile;
 *		else pk__read_done() takes the locks and it runs again;
 *
 *	if ((rc = pk__write_begin(&w, h, refs)) != 0)
 *		return rc;
 *	do
 *		rc = ...;
 *	while (!pk__write_done(&w, rc));
 *		a change of the container of h; refs says whether it stores a
 *		container reference. It begins with the check that the pool
 *		may be written (PK_EREADONLY), before anything is locked. Without one it holds only the
 *		container's lock (lock.c); if it then finds it would drop a
 *		reference it returns PK__ERELOCK, having kept nothing, and
 *		runs again under the pool's exclusive lock.
 *
 * The functions inside a bracket take no locks; their names say what they
 * do, not that a lock is held.
 */
#define PK_SHARED 0
#define PK_EXCL 1
#define PK_READ_LOCKED 0
#define PK_READ_OPTIMISTIC 1

struct pk_read {
	struct pk_lock lock;
	const struct pk_handle *h;
	struct pk_readseq seq;
	int optimistic;		/* this attempt runs without locks */
};

/* pk__read_begin -- start a read of the container of h (NULL is
 * allowed: the read reports it) */
static inline void
pk__read_begin(struct pk_read *r, const struct pk_handle *h, int optimistic)
{
	r->h = h;
	r->optimistic = optimistic && pk__seq_begin(h, &r->seq);
	if (!r->optimistic)
		pk__lock_read(&r->lock, h);
}

/* pk__read_done -- end a read: 1 if its result stands, 0 if it must run
 * again, now under the locks */
static inline int
pk__read_done(struct pk_read *r)
{
	if (!r->optimistic) {
		pk__unlock(&r->lock);
		return 1;
	}
	if (pk__seq_valid(r->h, &r->seq))
		return 1;
	r->optimistic = 0;
	pk__lock_read(&r->lock, r->h);
	return 0;
}

struct pk_write {
	struct pk_lock lock;
	const struct pk_handle *h;
};
PK_HIDDEN int pk__write_begin(struct pk_write *w, const struct pk_handle *h,
		int refs);
PK_HIDDEN int pk__write_done(struct pk_write *w, int rc);

#endif /* PK_LOCK_H */
