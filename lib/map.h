/*
 * map.h -- what the map's files share: the bucket geometry and the walk
 * of bucket chains (inline: every lookup runs through them), and the
 * functions of map_table.c and map_atomic.c
 *
 * The map's files: map.c (the lookup and the operations), map_table.c
 * (the table: segments, directory, overflow buckets, split and merge, and
 * what walks or frees all of it), map_atomic.c (inserts and removes that
 * commit without a transaction, and the counts they leave unsynced).
 */
#ifndef PK_MAP_H
#define PK_MAP_H

#include "internal.h"

#define LOAD_SPLIT 5	/* split while count > LOAD_SPLIT * nbuckets */
#define LOAD_MERGE 2	/* merge while count < LOAD_MERGE * nbuckets */
#define SPLIT_BATCH 4	/* buckets split by one insert (64 buckets on) */
#define DIR_MIN 8	/* smallest directory capacity */

/* the range of the header that changes on insert and remove */
#define HDR_MUT_OFF offsetof(struct pk_map_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_map_hdr, leaf) - HDR_MUT_OFF)

/* seg_of -- segment holding bucket b, and b's index in it */
static inline void
seg_of(uint64_t b, uint64_t *seg, uint64_t *idx)
{
	if (b >= PK_SEG_BUCKETS) {
		*seg = b / PK_SEG_BUCKETS + PK_SEG_SHIFT;
		*idx = b % PK_SEG_BUCKETS;
	} else if (b == 0) {
		*seg = 0;
		*idx = 0;
	} else {
		unsigned k = pk__log2(b);
		*seg = k + 1;
		*idx = b - (1ULL << k);
	}
}

/* seg_len -- buckets in segment seg */
static inline uint64_t
seg_len(uint64_t seg)
{
	if (seg == 0)
		return 1;
	if (seg <= PK_SEG_SHIFT)
		return 1ULL << (seg - 1);
	return PK_SEG_BUCKETS;
}

/* links_bytes -- bytes of the links of a segment of len buckets, padded
 * to whole cache lines (segment_bytes(): of the whole segment) */
static inline size_t
links_bytes(uint64_t len)
{
	return (size_t)((len + 7) & ~7ULL) * 8;
}

/* segment_bytes -- bytes of a segment of len buckets */
static inline size_t
segment_bytes(uint64_t len)
{
	return sizeof(struct pk_segment) + links_bytes(len) +
		len * sizeof(struct pk_bucket);
}

/* seg_links -- links_bytes() of segment seg */
static inline size_t
seg_links(uint64_t seg)
{
	return links_bytes(seg_len(seg));
}

/* seg_bytes -- segment_bytes() of segment seg */
static inline size_t
seg_bytes(uint64_t seg)
{
	return segment_bytes(seg_len(seg));
}

/* hash32 -- the 32-bit hash stored in slots; its low bits pick the bucket */
static inline uint32_t
hash32(pk_pool *pool, const struct pk_key *k)
{
	return (uint32_t)pk__key_hash(pool, k) | PK_HASH_USED;
}

/* home -- home bucket of hash h in a table of n buckets */
static inline uint64_t
home(uint32_t h, uint64_t n)
{
	unsigned level = pk__log2(n);
	uint64_t b = h & ((2ULL << level) - 1);
	return b < n ? b : h & ((1ULL << level) - 1);
}

/* corrupt -- PK_ECORRUPT, saying what of the map is damaged */
static inline int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "map: %s", what);
}

/*
 * A position in a bucket chain: the bucket and the link to the next one
 * (in the segment for the chain's head, in the overflow bucket after it).
 */
struct chain {
	struct pk_slot *s;	/* the bucket's slots */
	unsigned n;		/* how many */
	uint64_t *next;
	int head;
	uint64_t steps;		/* overflow buckets stepped to */
};

/*
 * chain_head -- the chain of bucket b. Every lookup starts here, so it
 * checks no more than it reads: the directory's magic and the one entry
 * it reads (not the whole directory, as dir_get() does), and reads each
 * offset and the capacity once, as an optimistic read may see them
 * change. The segment's magic is not read (it would cost a cache miss per
 * lookup); the bounds check keeps a damaged offset inside the pool, and
 * pool checks verify magics.
 */
static inline int
chain_head(pk_pool *pool, const struct pk_map_hdr *m, uint64_t b,
		struct chain *c)
{
	uint64_t doff = __atomic_load_n(&m->dir, __ATOMIC_RELAXED);
	const struct pk_mapdir *d = pk__ptr(pool, doff, sizeof(*d));
	struct pk_segment *s;
	uint64_t seg, idx, len;

	if (PK_LIKELY(b >= PK_SEG_BUCKETS)) {	/* seg_of(), for a full one */
		seg = b / PK_SEG_BUCKETS + PK_SEG_SHIFT;
		idx = b % PK_SEG_BUCKETS;
		len = PK_SEG_BUCKETS;
	} else {
		seg_of(b, &seg, &idx);
		len = seg_len(seg);
	}
	if (d == NULL || d->magic != PK_MAGIC_MAPDIR ||
	    seg >= __atomic_load_n(&d->cap, __ATOMIC_RELAXED) ||
	    (seg + 1) * 8 > pool->size - doff - sizeof(*d) ||
	    (s = pk__ptr(pool, __atomic_load_n(&d->seg[seg],
			__ATOMIC_RELAXED), segment_bytes(len))) == NULL)
		return corrupt("bad bucket");
	c->next = &s->next[idx];
	c->s = ((struct pk_bucket *)((char *)s->next + links_bytes(len)))[idx]
		.slot;
	c->n = PK_BUCKET_SLOTS;
	c->head = 1;
	c->steps = 0;
	return 0;
}

/* chain_at -- make c the overflow bucket at off */
static inline int
chain_at(pk_pool *pool, struct chain *c, uint64_t off)
{
	struct pk_overflow *o = pk__ptr(pool, off, sizeof(*o));

	if (o == NULL || o->magic != PK_MAGIC_OVERFLOW)
		return corrupt("bad overflow bucket");
	c->s = o->slot;
	c->n = PK_OVERFLOW_SLOTS;
	c->next = &o->next;
	c->head = 0;
	return 0;
}

/* max_overflow -- more overflow buckets than the pool can hold */
static inline uint64_t
max_overflow(const pk_pool *pool)
{
	return pool->size / sizeof(struct pk_overflow);
}

/*
 * chain_step -- move to the next bucket: 1, or 0 at the end, or error.
 * A chain longer than the overflow buckets the pool can hold has a loop
 * (damage): every walk of a chain ends.
 */
static inline int
chain_step(pk_pool *pool, struct chain *c)
{
	if (*c->next == 0)
		return 0;
	if (++c->steps > max_overflow(pool))
		return corrupt("overflow chain loops");
	return chain_at(pool, c, *c->next) == 0 ? 1 : PK_ECORRUPT;
}

/* chain_resume -- c, at the head of its chain, moved to the overflow
 * bucket at off that a cursor stopped in, depth buckets down */
static inline int
chain_resume(pk_pool *pool, struct chain *c, uint64_t off, uint64_t depth)
{
	c->steps = depth;
	return chain_at(pool, c, off);
}

/* where a key is, or where it would go */
struct loc {
	struct pk_slot *slot;	/* the key's slot, or NULL */
	struct chain at;	/* the bucket holding it */
	uint64_t *link;		/* the link that leads there, if overflow */
	struct pk_slot *free;	/* first free slot of the chain */
	struct chain last;	/* last bucket of the chain */
};

/* prefetch_bucket -- the slots of a bucket are independent loads: start
 * them all at once (written out: a loop costs a lookup three times the
 * instructions) */
_Static_assert(PK_BUCKET_SLOTS == 8, "prefetch_bucket prefetches 8 slots");
static inline void
prefetch_bucket(const struct pk_slot *s)
{
	__builtin_prefetch(&s[0]);
	__builtin_prefetch(&s[1]);
	__builtin_prefetch(&s[2]);
	__builtin_prefetch(&s[3]);
	__builtin_prefetch(&s[4]);
	__builtin_prefetch(&s[5]);
	__builtin_prefetch(&s[6]);
	__builtin_prefetch(&s[7]);
}

/*
 * Snapshot rule for slots. A free slot's contents are garbage, so filling
 * one only snapshots its first 8 bytes (the hash, which marks it used) and
 * flushes the rest. That is sound because a slot that was in use when the
 * transaction began is snapshotted whole when it is freed (clear_slot, the
 * bucket snapshots in split and pk_map_clear), so an abort restores it
 * whatever was written into it since.
 */
#define SLOT_HEAD 8

/* claim_slot -- prepare a free slot for writing */
static inline int
claim_slot(struct pk_slot *s, int fresh)
{
	return fresh ? 0 : pk__snap(s, SLOT_HEAD);
}

/* claim_slot -- prepare a free slot for writing */
/* filled_slot -- a claimed slot is written: have it reach the media */
static inline void
filled_slot(pk_pool *pool, struct pk_slot *s, int fresh)
{
	if (!fresh)
		pmemobj_flush(pool->pop, (char *)s + SLOT_HEAD,
				sizeof(*s) - SLOT_HEAD);
}

/* clear_slot -- mark a slot free, snapshotting all of it */
static inline int
clear_slot(struct pk_slot *s)
{
	int rc = pk__snap(s, sizeof(*s));
	if (rc == 0)
		s->hash = 0;
	return rc;
}

/* map_table.c */
PK_HIDDEN int pk__map_place(pk_pool *pool, struct chain c, int fresh,
		struct pk_slot **out, int *fresh_out);
PK_HIDDEN int pk__map_claim_slot(struct pk_slot *s, int fresh);
PK_HIDDEN void pk__map_filled_slot(pk_pool *pool, struct pk_slot *s,
		int fresh);
PK_HIDDEN int pk__map_clear_slot(struct pk_slot *s);
PK_HIDDEN int pk__map_unlink_if_empty(pk_pool *pool, uint64_t *link);
PK_HIDDEN int pk__map_split(pk_pool *pool, struct pk_map_hdr *m);
PK_HIDDEN int pk__map_merge(pk_pool *pool, struct pk_map_hdr *m);
PK_HIDDEN int pk__map_clear(pk_pool *pool, void *hdr);
PK_HIDDEN int pk__map_destroy(pk_pool *pool, uint64_t off);
PK_HIDDEN int pk__map_walk(pk_pool *pool, uint64_t off, struct pk_walker *w);

/* map_atomic.c */
PK_HIDDEN int pk__map_insert_atomic(pk_pool *pool, struct pk_map_hdr *m,
		struct pk_slot *s, uint32_t h, const pk_value *key,
		const pk_value *val);
PK_HIDDEN int pk__map_remove_atomic(pk_pool *pool, struct pk_map_hdr *m,
		const struct loc *l);

#endif /* PK_MAP_H */
