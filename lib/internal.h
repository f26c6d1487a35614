/*
 * internal.h -- declarations shared by pmemkit's source files
 */
#ifndef PK_INTERNAL_H
#define PK_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <libpmemobj.h>

#include "pmemkit.h"
#include "layout.h"
#include "mulhash.h"

#define PK_HIDDEN __attribute__((visibility("hidden")))
/* thread-locals of the library: initial-exec avoids __tls_get_addr */
#define PK_TLS __thread __attribute__((tls_model("initial-exec")))
#define PK_LIKELY(x) __builtin_expect(!!(x), 1)
#define PK_UNLIKELY(x) __builtin_expect(!!(x), 0)

/*
 * lock.c: the containers' locks, each shared by the containers whose
 * offsets hash to it; a cache line each
 */
#define PK_STRIPES 64
struct pk_stripe {
	pthread_rwlock_t lock;
	uint64_t seq;		/* odd while a writer holds lock */
} __attribute__((aligned(64)));

/* an open pool; it outlives pk_pool_close() while handles refer to it */
#define PK_UNSYNCED 16
#define PK_UNSYNCED_LEN 24	/* a map header's count to modcount */
struct pk_pool {
	PMEMobjpool *pop;	/* NULL once closed */
	char *base;		/* start of the mapping: offsets are from here */
	uint64_t size;		/* bytes mapped */
	struct pk_root *root;
	uint64_t uuid_lo;	/* libpmemobj's pool id, to build PMEMoids */
	uint64_t gen_next;	/* next generation number to hand out */
	unsigned long refs;	/* this handle plus every container handle */
	int unclean;		/* the previous session did not close */
	uint64_t recovered;	/* objects gc reclaimed at open */
	pthread_rwlock_t lock;	/* lock.c */
	uint64_t seq;		/* lock.c: odd while a writer holds lock */
	/* map headers whose count was written but not flushed
	 * (map_atomic.c): flushed when full and before close */
	pthread_mutex_t unsynced_lock;
	uint64_t unsynced[PK_UNSYNCED];
	unsigned nunsynced;
	struct pk_stripe stripe[PK_STRIPES];	/* lock.c */
};

/* what every container handle starts with */
struct pk_handle {
	pk_pool *pool;
	uint64_t off;
	uint64_t gen;
	uint32_t magic;
};

struct pk_map {
	struct pk_handle h;
};

struct pk_list {
	struct pk_handle h;
};

struct pk_array {
	struct pk_handle h;
};

/* a growable array of offsets (volatile) */
struct pk_vec {
	uint64_t *v;
	size_t n, cap;
};
PK_HIDDEN int pk__vec_push(struct pk_vec *vec, uint64_t x);
PK_HIDDEN int pk__tls_vec_push(struct pk_vec *vec, uint64_t x);

/* error.c */
PK_HIDDEN int pk__err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
PK_HIDDEN int pk__err_pmemobj(int code, const char *what);
PK_HIDDEN int pk__errno_code(int err);

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
/* the stripe of the container at off */
static inline struct pk_stripe *
pk__stripe(pk_pool *pool, uint64_t off)
{
	/* objects are 64-byte aligned or more: mix the bits above */
	return &pool->stripe[((off >> 6) * 0x9E3779B97F4A7C15ull) >> 58];
}
/* whether any of vals[0..n) refers to a container */
PK_HIDDEN int pk__refs_in(const pk_value *vals, size_t n);
/* the container this thread changes under its stripe alone, or 0: such a
 * change must not reach another container (refs.c refuses to) */
PK_HIDDEN extern PK_TLS uint64_t pk__local;
/* whether that container is a leaf (layout.h) */
PK_HIDDEN extern PK_TLS int pk__local_leaf;
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
 *	pk__write_begin(&w, h, refs);
 *	do
 *		rc = ...;
 *	while (!pk__write_done(&w, rc));
 *		a change of the container of h; refs says whether it stores a
 *		container reference. Without one it holds only the
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
PK_HIDDEN void pk__write_begin(struct pk_write *w, const struct pk_handle *h,
		int refs);
PK_HIDDEN int pk__write_done(struct pk_write *w, int rc);

/* pool.c */
PK_HIDDEN void pk__pool_ref(pk_pool *pool);
PK_HIDDEN void pk__pool_unref(pk_pool *pool);
PK_HIDDEN int pk__gen_next(pk_pool *pool, uint64_t *out);

/*
 * Turn an offset read from the pool into a pointer, after checking that
 * [off, off + len) lies in the pool and that off is 8-aligned, as every
 * object libpmemobj allocates is: offsets in the pool are data, and data
 * can be damaged (a misaligned one would make every access to the
 * structure there undefined).
 */
static inline void *
pk__ptr(const pk_pool *pool, uint64_t off, uint64_t len)
{
	if (PK_UNLIKELY(off < 4096 || off > pool->size || (off & 7) != 0 ||
			len > pool->size - off))
		return NULL;
	return pool->base + off;
}

/* pk__handle_peek -- the header of the container h refers to, or NULL if
 * the pool is closed or the handle stale; pk__handle_get() says which */
static inline struct pk_obj_hdr *
pk__handle_peek(const struct pk_handle *h)
{
	struct pk_obj_hdr *hdr;

	if (PK_UNLIKELY(h->pool->pop == NULL))
		return NULL;
	hdr = pk__ptr(h->pool, h->off, sizeof(*hdr));
	if (PK_UNLIKELY(hdr == NULL || hdr->magic != h->magic ||
			hdr->gen != h->gen))
		return NULL;
	return hdr;
}

/* floor(log2(x)), x > 0 */
static inline unsigned
pk__log2(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

static inline uint64_t
pk__off(const pk_pool *pool, const void *ptr)
{
	return (uint64_t)((const char *)ptr - pool->base);
}

/*
 * handle.c -- handles, and what every container kind does alike, driven by
 * its pk_kind: the public pk_<kind>_new, _open, _close, _value, _length,
 * _cursor and _clear are these, each under its locks
 */
struct pk_kind;
struct pk_cursor;
PK_HIDDEN int pk__handle_get(void **out, const struct pk_handle *h);
PK_HIDDEN int pk__container_check(void **out, pk_pool *pool, uint64_t off,
		uint32_t magic, size_t size);
PK_HIDDEN int pk__handle_new(struct pk_handle **out, pk_pool *pool,
		uint64_t off, const struct pk_kind *k);
PK_HIDDEN int pk__container_new(struct pk_handle **out, pk_pool *pool,
		const struct pk_kind *k, const void *arg);
PK_HIDDEN int pk__container_open(struct pk_handle **out, pk_pool *pool,
		const pk_value *val, const struct pk_kind *k);
PK_HIDDEN void pk__container_close(struct pk_handle *h);
PK_HIDDEN pk_value pk__container_value(const struct pk_handle *h,
		const struct pk_kind *k);
PK_HIDDEN int pk__container_length(uint64_t *out, const struct pk_handle *h,
		const struct pk_kind *k);
PK_HIDDEN int pk__container_cursor(struct pk_cursor **out,
		const struct pk_handle *h, const struct pk_kind *k);
PK_HIDDEN int pk__container_clear(const struct pk_handle *h,
		const struct pk_kind *k);

/*
 * kind.c -- what each container kind provides, so references, freeing,
 * iteration, gc and check work alike for all of them
 */
struct pk_walker {
	pk_pool *pool;
	/* an allocation the container owns (segments, blobs, ...) */
	int (*object)(struct pk_walker *w, uint64_t off);
	/* a reference to a container of the given type, held in a value */
	int (*ref)(struct pk_walker *w, uint64_t off, unsigned type);
	/* the container at off holds n entries, not the count it records:
	 * a crash after an atomic insert or remove (map.c) */
	int (*miscount)(struct pk_walker *w, uint64_t off, uint64_t n);
	void *arg;
};
struct pk_kind {
	pk_type type;
	uint32_t magic;
	const char *name;	/* for messages: "map", "list", ... */
	size_t hdr_size;
	uint64_t type_num;
	/* offset in the header of its leaf field (layout.h); 0 for a kind
	 * whose values are never references */
	size_t leaf_off;
	/* offsets in the header of its modcount, which cursors compare,
	 * and of its number of entries (pk_<kind>_length()) */
	size_t modcount_off;
	size_t count_off;
	/* allocate a new, empty container in the running transaction; arg
	 * is what the kind's pk_<kind>_new() passes, checked already */
	int (*create)(pk_pool *pool, uint64_t *off, const void *arg);
	/* what every use of the header relies on, beyond its magic and
	 * generation (which the handle checks): PK_ECORRUPT if not; NULL
	 * for none */
	int (*check)(pk_pool *pool, const void *hdr);
	/* empty the container, giving its space back, in the running
	 * transaction (the caller holds a reference on it meanwhile); NULL
	 * for a kind that cannot be cleared */
	int (*clear)(pk_pool *pool, void *hdr);
	/* free the container's storage and header; references in its values
	 * are released (pk__payload_release), which may free more */
	int (*destroy)(pk_pool *pool, uint64_t off);
	/* report every owned allocation and every reference; PK_ECORRUPT for
	 * damage met on the way */
	int (*walk)(pk_pool *pool, uint64_t off, struct pk_walker *w);
	/* the entry after the one cursor c last gave */
	int (*cursor_next)(struct pk_cursor *c, pk_value *key, pk_value *val);
};
PK_HIDDEN const struct pk_kind *pk__kind_of_type(unsigned type);
PK_HIDDEN const struct pk_kind *pk__kind_of_magic(uint32_t magic);
PK_HIDDEN extern const struct pk_kind pk__map_kind;
PK_HIDDEN extern const struct pk_kind pk__list_kind;
PK_HIDDEN extern const struct pk_kind pk__array_kind;

/*
 * tx.c -- every operation is bracketed by pk__op_begin()/pk__op_end();
 * writing operations run in a transaction (their own, or the caller's).
 * Persistent writes go through the helpers below, which snapshot first.
 */
struct pk_op {
	pk_pool *pool;
	int write;
	int own;	/* the operation began the libpmemobj transaction */
};
PK_HIDDEN int pk__op_begin(struct pk_op *op, pk_pool *pool, int write);
PK_HIDDEN int pk__op_end(struct pk_op *op, int rc);
PK_HIDDEN int pk__snap(const void *ptr, size_t len);
PK_HIDDEN int pk__tx_merged(void);
/* whether no transaction (pmemkit's or libpmemobj's) is open in this
 * thread, so an operation may publish its change atomically instead */
PK_HIDDEN int pk__tx_none(void);
PK_HIDDEN void pk__tx_set_merged(void);
PK_HIDDEN int pk__alloc(pk_pool *pool, uint64_t *off, size_t size,
		uint64_t type_num, int zero);
/*
 * Tests only (they link libpmemkit-core.la): when non-zero, every pk__alloc
 * counts it down and the one that brings it to 0 fails with PK_ENOSPACE,
 * as a full pool would. Not thread-safe; 0 (the default) costs one load.
 */
PK_HIDDEN extern unsigned long pk__test_fail_alloc;
PK_HIDDEN int pk__free(pk_pool *pool, uint64_t off);
PK_HIDDEN int pk__created(pk_pool *pool, uint64_t off);
PK_HIDDEN int pk__tx_close(pk_pool *pool);

/* siphash.c, and mulhash.h: the keyed hashes of maps */
PK_HIDDEN uint64_t pk__siphash13(const uint64_t key[2], const void *data,
		size_t len);

/* value.c -- keys in canonical form, so equal numbers hash alike */
enum pk_keyclass {
	PK_KC_NIL = 1, PK_KC_INT, PK_KC_DOUBLE, PK_KC_BYTES, PK_KC_STRING,
	PK_KC_BIGINT
};
struct pk_key {
	int cls;
	int64_t i;		/* PK_KC_INT */
	double d;		/* PK_KC_DOUBLE, canonical NaN */
	const void *ptr;	/* bytes, string, bigint */
	size_t len;
};
PK_HIDDEN int pk__key_make(struct pk_key *k, const pk_value *v);
PK_HIDDEN uint64_t pk__key_hash(const pk_pool *pool, const struct pk_key *k);

/* pk__hash_bytes -- the pool's keyed hash of a key's canonical bytes; the
 * class tweaks the key, so classes never share hash streams */
static inline uint64_t
pk__hash_bytes(const pk_pool *pool, int cls, const void *data, size_t len)
{
	const struct pk_root *r = pool->root;
	uint64_t key[2] = { r->seed[0] ^ (uint64_t)cls, r->seed[1] };

	return r->incompat & PK_INCOMPAT_MULHASH ?
		pk__mulhash(key, data, len) : pk__siphash13(key, data, len);
}
PK_HIDDEN int pk__key_equal(const struct pk_key *a, const struct pk_key *b);
PK_HIDDEN int pk__value_check(const pk_value *v);
PK_HIDDEN int pk__value_check_in(pk_pool *pool, const pk_value *v);
PK_HIDDEN int pk__utf8_valid(const uint8_t *s, size_t len);

/* slot.c -- one encoding of values for every container */
PK_HIDDEN size_t pk__payload_len(const pk_value *v);
PK_HIDDEN int pk__payload_write(pk_pool *pool, uint8_t *type, uint8_t *len,
		uint8_t *dst, const pk_value *v, int ext);
PK_HIDDEN int pk__payload_read(pk_pool *pool, pk_value *out, uint8_t type,
		uint8_t len, const uint8_t *src);
PK_HIDDEN int pk__payload_release(pk_pool *pool, uint8_t type,
		const uint8_t *src);
PK_HIDDEN int pk__slot_write(pk_pool *pool, struct pk_slot *s,
		const pk_value *key, const pk_value *val);
PK_HIDDEN int pk__slot_set_value(pk_pool *pool, struct pk_slot *s,
		const pk_value *val);
PK_HIDDEN int pk__slot_key(pk_pool *pool, pk_value *out,
		const struct pk_slot *s);
PK_HIDDEN int pk__slot_value(pk_pool *pool, pk_value *out,
		const struct pk_slot *s);
PK_HIDDEN int pk__slot_release(pk_pool *pool, const struct pk_slot *s);
PK_HIDDEN int pk__slot_plain(const pk_value *key, const pk_value *val);
PK_HIDDEN int pk__slot_plain_stored(const struct pk_slot *s);
PK_HIDDEN int pk__slot_walk(const struct pk_slot *s, struct pk_walker *w);
PK_HIDDEN int pk__payload_walk(uint8_t type, uint8_t len, const uint8_t *src,
		struct pk_walker *w);

/* refs.c -- reference counts of containers stored as values */
PK_HIDDEN int pk__ref_target(struct pk_obj_hdr **out, pk_pool *pool,
		const pk_value *v);
PK_HIDDEN int pk__ref_acquire(pk_pool *pool, const pk_value *v);
PK_HIDDEN int pk__ref_release(pk_pool *pool, uint64_t off);
/* before a change overwrites or removes a stored value of this type byte:
 * 0, or PK__ERELOCK (PK_ECORRUPT in a leaf) if it would drop a reference
 * under its container's lock alone */
PK_HIDDEN int pk__ref_drop_check(unsigned type);
PK_HIDDEN int pk__obj_free(pk_pool *pool, uint64_t off);
/* before vals[0..n) are stored in a container: if one is a reference, the
 * container's leaf field (layout.h) says it is no longer a leaf */
PK_HIDDEN int pk__leaf_unset(uint64_t *leaf, const pk_value *vals,
		size_t n);

/* map.c, map_table.c, map_atomic.c (map.h has the rest) */
PK_HIDDEN int pk__map_create(pk_pool *pool, uint64_t *off, const void *arg);
/* write back the counts atomic inserts left unsynced: before close */
PK_HIDDEN void pk__map_sync(pk_pool *pool);
/* the object at off is about to be freed (tx.c) */
PK_HIDDEN void pk__map_freeing(pk_pool *pool, uint64_t off);

/* gc.c */
PK_HIDDEN int pk__gc(pk_pool *pool, uint64_t *freed);

/* cursor.c */
struct pk_cursor {
	struct pk_handle h;	/* the container iterated */
	uint64_t modcount;	/* the container's modcount at creation */
	uint64_t index;		/* map: bucket; list, array: next element */
	uint64_t chain;		/* map: overflow depth in that bucket */
	uint64_t at;		/* map: that overflow bucket, 0 for the head */
	unsigned slot;		/* map: next slot to look at */
};

#endif /* PK_INTERNAL_H */
