/*
 * internal.h -- what every source file of the library shares: the open
 * pool, handles, checked offsets, errors; and, through the headers it
 * includes at its end, each module's declarations (lock.h, kind.h, tx.h,
 * value.h, slot.h, refs.h; map.h is the map's own)
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
#define PK_ALLOC_CLASSES 6 /* alloc.c */
struct pk_pool {
	PMEMobjpool *pop;	/* NULL once closed */
	int readonly;		/* opened with PK_POOL_READONLY (readonly.c) */
	int ro_lock;		/* readonly.c: the file, locked, or -1 */
	char *base;		/* start of the mapping: offsets are from here */
	uint64_t size;		/* bytes mapped: the bound of valid offsets;
				 * a growing pool's rises (poolset.c) */
	int growing;		/* a directory poolset (poolset.c) */
	uint64_t step;		/* its growth step now */
	uint64_t max_size;	/* the most it may grow to; size if fixed */
	char *part_dir;		/* where its parts are (stats' free space) */
	struct pk_root *root;
	uint64_t uuid_lo;	/* libpmemobj's pool id, to build PMEMoids */
	uint64_t gen_next;	/* next generation number to hand out */
	uint64_t gen_open;	/* gen_next at open: containers below it
				   were there before this session */
	unsigned format_found;	/* root format at open, before upgrade() */
	unsigned long refs;	/* this handle plus every container handle */
	int unclean;		/* the previous session did not close */
	int durable;		/* PK_DURABLE_*: how stores become durable */
	int heap_checked;	/* precheck.c: 1 not yet, 0 sound, 2 not */
	uint64_t recovered;	/* objects gc reclaimed at open */
	pthread_rwlock_t lock;	/* lock.c */
	uint64_t seq;		/* lock.c: odd while a writer holds lock */
	/* map headers whose count was written but not flushed
	 * (map_atomic.c): flushed when full and before close */
	struct {
		pthread_mutex_t lock;
		uint64_t off[PK_UNSYNCED];
		unsigned n;
	} unsynced;
	struct pk_stripe stripe[PK_STRIPES];	/* lock.c */
	/* alloc.c: pmemkit's allocation classes and the largest object
	 * each takes */
	uint8_t alloc_class[PK_ALLOC_CLASSES];
	uint32_t alloc_max[PK_ALLOC_CLASSES];
};

/* pk_pool.durable (durable.c) */
enum {
	PK_DURABLE_LIBPMEMOBJ,	/* as libpmemobj chose: msync, or the pmem path
				   on persistent memory */
	PK_DURABLE_PROCESS,	/* the pmem path on a file that is not pmem:
				   pk_pool_sync() and close msync */
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

struct pk_log {
	struct pk_handle h;
};

struct pk_blocks {
	struct pk_handle h;
};

/* a set's handle is a map's: set.c runs the map's operations on it */
struct pk_set {
	struct pk_handle h;
};

/* and so is a record's (record.c) */
struct pk_record {
	struct pk_handle h;
};

struct pk_sorted {
	struct pk_handle h;
};

/* a growable array of offsets (volatile) */
struct pk_vec {
	uint64_t *v;
	size_t n, cap;
};
PK_HIDDEN int pk__vec_push(struct pk_vec *vec, uint64_t x);
PK_HIDDEN int pk__tls_vec_push(struct pk_vec *vec, uint64_t x);

/* precheck.c: refuse a pool file whose libpmemobj metadata is damaged;
 * before walking every object, its allocation headers */
PK_HIDDEN int pk__precheck_pmemobj(int fd, const char *path, uint64_t size);
PK_HIDDEN int pk__precheck_map(const void *p, uint64_t size, const char *path);
PK_HIDDEN int pk__parts_precheck(const char *dir, const char *path);
PK_HIDDEN int pk__precheck_objects(pk_pool *pool);

/* error.c */
PK_HIDDEN int pk__err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
PK_HIDDEN int pk__err_pmemobj(int code, const char *what);
PK_HIDDEN int pk__errno_code(int err);

/* pool.c */
PK_HIDDEN void pk__pool_ref(pk_pool *pool);
PK_HIDDEN void pk__pool_unref(pk_pool *pool);
PK_HIDDEN int pk__gen_next(pk_pool *pool, uint64_t *out);
PK_HIDDEN int pk__incompat_mark(pk_pool *pool, uint64_t bit);

/* durable.c */
PK_HIDDEN int pk__durable_process(pk_pool *pool);
PK_HIDDEN int pk__durable_sync(pk_pool *pool);
PK_HIDDEN int pk__durable_sync_range(pk_pool *pool, const void *p,
		size_t len);

/* readonly.c */
struct stat;
PK_HIDDEN int pk__obj_open(PMEMobjpool **out, const char *path,
		const char *name, int cow);
PK_HIDDEN int pk__ro_open(PMEMobjpool **out, int *lock, const char *path,
		struct stat *st);
PK_HIDDEN int pk__readonly_err(void);

/*
 * pk__writable -- 0, or PK_EREADONLY for a pool opened read-only: the
 * check of every write (pk__write_begin(), pk__op_begin(), pk_tx_begin(),
 * gc); a closed pool is left to report PK_ECLOSED
 */
static inline int
pk__writable(const pk_pool *pool)
{
	return PK_UNLIKELY(pool->readonly) && pool->pop != NULL ?
		pk__readonly_err() : 0;
}

/* oset.c -- a set of offsets, each with a count (zeroed: empty) */
struct pk_oset {
	uint64_t *key;		/* 0 is empty: no object lives at offset 0 */
	uint64_t *count;
	size_t cap, n;
};
PK_HIDDEN int pk__oset_add(struct pk_oset *s, uint64_t off, uint64_t inc,
		int *added);
PK_HIDDEN const uint64_t *pk__oset_find(const struct pk_oset *s,
		uint64_t off);

/* poolset.c: the parts a poolset file names */
struct pk_poolset {
	char data[4096];	/* the first replica's part or directory */
	char first[4096];	/* its first part file */
	char replica[4096];	/* the second replica's, or "" */
	char uuid[33];		/* the pool's uuid its note gives, or "" */
	uint64_t max;		/* the size given for data */
	int growing;		/* data is a directory */
	int data_made, replica_made, file_made;	/* pk__poolset_undo() */
};
PK_HIDDEN int pk__poolset_is(const char *path);
PK_HIDDEN int pk__poolset_create(struct pk_poolset *ps, const char *path,
		const pk_pool_options *opts);
PK_HIDDEN void pk__poolset_undo(struct pk_poolset *ps, const char *path);
PK_HIDDEN int pk__poolset_read(struct pk_poolset *ps, const char *path);
PK_HIDDEN int pk__poolset_note(const struct pk_poolset *ps, const char *path);
PK_HIDDEN int pk__poolset_check_note(const struct pk_poolset *ps,
		const char *path);
PK_HIDDEN void pk__poolset_heal(const struct pk_poolset *ps);
PK_HIDDEN int pk__poolset_check_parts(const struct pk_poolset *ps,
		const char *path);
PK_HIDDEN uint64_t pk__parts_mapped(const char *dir);
PK_HIDDEN int pk__parts_msync(char *base, const char *dir);
PK_HIDDEN int pk__pool_grow_step(pk_pool *pool);
PK_HIDDEN void pk__pool_grew(pk_pool *pool, uint64_t end);

/* alloc.c */
PK_HIDDEN int pk__alloc_classes(pk_pool *pool);
PK_HIDDEN uint64_t pk__alloc_flags(const pk_pool *pool, size_t size);
PK_HIDDEN size_t pk__alloc_copy_size(const pk_pool *pool, size_t usable);

/* the compact header libpmemobj puts before each object (its size and
 * type number): every class pmemkit allocates from has it */
#define PK_OBJ_HDR 16

/* pk__obj_bytes -- what the object at off takes of the pool: its usable
 * size and its header (pk_pool_stats.used and container sizes count it) */
static inline uint64_t
pk__obj_bytes(const pk_pool *pool, uint64_t off)
{
	PMEMoid oid = { pool->uuid_lo, off };

	return pmemobj_alloc_usable_size(oid) + PK_OBJ_HDR;
}

/*
 * pk__ptr -- turn an offset read from the pool into a pointer, after
 * checking that [off, off + len) lies in the pool and that off is
 * 8-aligned, as every object libpmemobj allocates is: offsets in the pool
 * are data, and data can be damaged (a misaligned one would make every
 * access to the structure there undefined).
 */
static inline void *
pk__ptr(const pk_pool *pool, uint64_t off, uint64_t len)
{
	/* a growing pool's bound rises while others read it */
	uint64_t size = __atomic_load_n(&pool->size, __ATOMIC_RELAXED);

	if (PK_UNLIKELY(off < 4096 || off > size || (off & 7) != 0 ||
			len > size - off))
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

/* pk__log2 -- floor(log2(x)), x > 0 */
static inline unsigned
pk__log2(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

/* pk__off -- the offset in the pool of ptr */
static inline uint64_t
pk__off(const pk_pool *pool, const void *ptr)
{
	return (uint64_t)((const char *)ptr - pool->base);
}

/* map.c, map_table.c, map_atomic.c (map.h has the rest) */
PK_HIDDEN int pk__map_create(pk_pool *pool, uint64_t *off, const void *arg);
PK_HIDDEN int pk__map_create_as(pk_pool *pool, uint64_t *off, uint32_t magic,
		uint64_t type_num);
/* the entry after the one cursor c last gave (the map kind's) */
struct pk_cursor;
PK_HIDDEN int pk__map_cursor_next(struct pk_cursor *c, pk_value *key,
		pk_value *val);
/* write back the counts atomic inserts left unsynced: before close */
PK_HIDDEN void pk__map_sync(pk_pool *pool);
/* the object at off is about to be freed (tx.c) */
PK_HIDDEN void pk__map_freeing(pk_pool *pool, uint64_t off);

/* scratch.c: the calling thread's buffer of at least n bytes, which its
 * next call overwrites */
PK_HIDDEN int pk__scratch(void **out, size_t n);

/* gc.c */
PK_HIDDEN int pk__gc(pk_pool *pool, uint64_t *freed);
/* a movable object reached by pk__walk_movable(): off, in the container
 * at owner, its offset stored at field (struct pk_walker's object) */
typedef int (*pk__walk_fn)(void *arg, uint64_t owner, uint64_t off,
		const void *field);
PK_HIDDEN int pk__walk_movable(pk_pool *pool, pk_check_report *rep,
		pk__walk_fn visit, void *arg);
PK_HIDDEN int pk__pool_change_ok(pk_pool *pool, const char *what);
/* the counts a crash left set right with plain stores: for a pool whose
 * mapping is private (a read-only one) */
PK_HIDDEN int pk__recount_private(pk_pool *pool);

/* each module's own declarations */
#include "lock.h"
#include "kind.h"
#include "tx.h"
#include "value.h"
#include "slot.h"
#include "refs.h"

#endif /* PK_INTERNAL_H */
