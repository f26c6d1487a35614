/*
 * map.c -- the persistent hash map
 *
 * Linear hashing (Litwin, 1980) over 512-byte buckets of eight slots. A
 * bucket's home is the low bits of the key's hash; the table grows by
 * splitting buckets when the load passes LOAD_SPLIT entries per bucket
 * (SPLIT_BATCH in one go once there are 64), and shrinks by merging the
 * last bucket into its buddy when it falls below LOAD_MERGE. So a put
 * moves the entries of at most SPLIT_BATCH bucket chains and a remove
 * those of one; segments (64 buckets once the map is that large) are
 * allocated one at a time and the segment directory (8 bytes per 64
 * buckets) is copied when it doubles; no operation rehashes the table.
 * Entries that do not fit their bucket go to chained overflow buckets,
 * which are freed as soon as they are empty.
 *
 * Crash atomicity: in a transaction every byte changed here is
 * snapshotted before it is written (pk__snap), except memory allocated in
 * the same transaction and the two cases explained at claim_slot() and
 * split(); outside one, small inserts and removes commit atomically
 * without a transaction ("Atomic inserts and removes" below).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOAD_SPLIT 5	/* split while count > LOAD_SPLIT * nbuckets */
#define LOAD_MERGE 2	/* merge while count < LOAD_MERGE * nbuckets */
#define SPLIT_BATCH 4	/* buckets split by one insert (64 buckets on) */
#define DIR_MIN 8	/* smallest directory capacity */

/* the range of the header that changes on insert and remove */
#define HDR_MUT_OFF offsetof(struct pk_map_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_map_hdr, leaf) - HDR_MUT_OFF)

/* segment holding bucket b, and b's index in it */
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

/* buckets in segment seg */
static inline uint64_t
seg_len(uint64_t seg)
{
	if (seg == 0)
		return 1;
	if (seg <= PK_SEG_SHIFT)
		return 1ULL << (seg - 1);
	return PK_SEG_BUCKETS;
}

/* bytes of the links of a segment of len buckets, padded to whole cache
 * lines, and of the whole segment */
static inline size_t
links_bytes(uint64_t len)
{
	return (size_t)((len + 7) & ~7ULL) * 8;
}

static inline size_t
segment_bytes(uint64_t len)
{
	return sizeof(struct pk_segment) + links_bytes(len) +
		len * sizeof(struct pk_bucket);
}

static inline size_t
seg_links(uint64_t seg)
{
	return links_bytes(seg_len(seg));
}

static inline size_t
seg_bytes(uint64_t seg)
{
	return segment_bytes(seg_len(seg));
}

/* the 32-bit hash stored in slots; its low bits pick the bucket */
static inline uint32_t
hash32(pk_pool *pool, const struct pk_key *k)
{
	return (uint32_t)pk__key_hash(pool, k) | PK_HASH_USED;
}

/* home bucket of hash h in a table of n buckets */
static inline uint64_t
home(uint32_t h, uint64_t n)
{
	unsigned level = pk__log2(n);
	uint64_t b = h & ((2ULL << level) - 1);
	return b < n ? b : h & ((1ULL << level) - 1);
}

static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "map: %s", what);
}

static struct pk_mapdir *
dir_get(pk_pool *pool, const struct pk_map_hdr *m)
{
	struct pk_mapdir *d = pk__ptr(pool, m->dir, sizeof(*d));
	if (d == NULL || d->magic != PK_MAGIC_MAPDIR ||
	    pk__ptr(pool, m->dir, sizeof(*d) + (uint64_t)d->cap * 8) == NULL)
		return NULL;
	return d;
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
static int
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
static int
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
static int
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
static int
chain_resume(pk_pool *pool, struct chain *c, uint64_t off, uint64_t depth)
{
	c->steps = depth;
	return chain_at(pool, c, off);
}

/* new_overflow -- allocate an empty overflow bucket */
static int
new_overflow(pk_pool *pool, uint64_t *off, struct pk_overflow **out)
{
	struct pk_overflow *o;
	/* zeroed, as segments are: free slots are snapshotted in part */
	int rc = pk__alloc(pool, off, sizeof(*o), PK_TN_OVERFLOW, 1);
	if (rc != 0)
		return rc;
	o = (struct pk_overflow *)(pool->base + *off);
	o->magic = PK_MAGIC_OVERFLOW;
	o->reserved = 0;
	o->next = 0;
	memset(o->pad, 0, sizeof(o->pad));
	for (unsigned i = 0; i < PK_OVERFLOW_SLOTS; i++)
		o->slot[i].hash = 0;
	*out = o;
	return 0;
}

static int
slot_matches(pk_pool *pool, const struct pk_slot *s, const struct pk_key *k,
		int *rc)
{
	pk_value v;
	struct pk_key sk;

	/* fast paths: the stored key is inline and of the probe's class */
	*rc = 0;
	switch (s->ktype) {
	case PK_BYTES:
		if (k->cls == PK_KC_BYTES && s->klen <= PK_SLOT_DATA)
			return s->klen == k->len &&
				memcmp(s->data, k->ptr, k->len) == 0;
		break;
	case PK_STRING:
		if (k->cls == PK_KC_STRING && s->klen <= PK_SLOT_DATA)
			return s->klen == k->len &&
				memcmp(s->data, k->ptr, k->len) == 0;
		break;
	case PK_INT:
		if (k->cls == PK_KC_INT && s->klen == 8)
			return memcmp(s->data, &k->i, 8) == 0;
		break;
	}
	*rc = pk__slot_key(pool, &v, s);
	if (*rc != 0)
		return 0;
	*rc = pk__key_make(&sk, &v);
	if (*rc != 0) {
		*rc = corrupt("stored key is invalid");
		return 0;
	}
	return pk__key_equal(&sk, k);
}

/* where a key is, or where it would go */
struct loc {
	struct pk_slot *slot;	/* the key's slot, or NULL */
	struct chain at;	/* the bucket holding it */
	uint64_t *link;		/* the link that leads there, if overflow */
	struct pk_slot *free;	/* first free slot of the chain */
	struct chain last;	/* last bucket of the chain */
};

/* the slots of a bucket are independent loads: start them all at once
 * (written out: a loop costs a lookup three times the instructions) */
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

/* find -- look key k (hash h) up in map m */
static int
find(pk_pool *pool, const struct pk_map_hdr *m, const struct pk_key *k,
		uint32_t h, struct loc *l)
{
	uint64_t n = __atomic_load_n(&m->nbuckets, __ATOMIC_RELAXED);
	uint64_t links = 0, *link = NULL;
	struct chain c;
	int rc;

	l->slot = NULL;
	l->free = NULL;
	if (n == 0)
		return corrupt("no buckets");
	if ((rc = chain_head(pool, m, home(h, n), &c)) != 0)
		return rc;
	prefetch_bucket(c.s);
	do {
		for (unsigned i = 0; i < c.n; i++) {
			struct pk_slot *s = &c.s[i];
			if (s->hash == h) {
				if (slot_matches(pool, s, k, &rc)) {
					l->slot = s;
					l->at = c;
					l->link = c.head ? NULL : link;
					return 0;
				}
				if (rc != 0)
					return rc;
			} else if (s->hash == 0 && l->free == NULL)
				l->free = s;
		}
		l->last = c;
		/* every overflow bucket holds an entry: longer is a loop */
		if (++links > m->count + 2)
			return corrupt("overflow chain loops");
		link = c.next;
	} while ((rc = chain_step(pool, &c)) == 1);
	return rc != 0 ? rc : PK_NOTFOUND;
}

/* place -- a free slot in the chain from c on, growing it if full */
static int
place(pk_pool *pool, struct chain c, int fresh, struct pk_slot **out,
		int *fresh_out)
{
	struct pk_overflow *o;
	uint64_t off;
	int rc;

	for (;;) {
		for (unsigned i = 0; i < c.n; i++) {
			if (c.s[i].hash == 0) {
				*out = &c.s[i];
				*fresh_out = fresh;
				return 0;
			}
		}
		if ((rc = chain_step(pool, &c)) == 0)
			break;
		if (rc < 0 || rc > 1)
			return rc;
	}
	if ((rc = new_overflow(pool, &off, &o)) != 0)
		return rc;
	if (!fresh && (rc = pk__snap(c.next, sizeof(*c.next))) != 0)
		return rc;
	*c.next = off;
	*out = &o->slot[0];
	*fresh_out = 1;
	return 0;
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

/* filled_slot -- a claimed slot is written: have it reach the media */
static inline void
filled_slot(pk_pool *pool, struct pk_slot *s, int fresh)
{
	if (!fresh)
		pmemobj_flush(pool->pop, (char *)s + SLOT_HEAD,
				sizeof(*s) - SLOT_HEAD);
}

/* move_slot -- copy an entry into a free slot of the chain at dst */
static int
move_slot(pk_pool *pool, struct chain dst, int fresh, const struct pk_slot *s)
{
	struct pk_slot *to;
	int f, rc = place(pool, dst, fresh, &to, &f);

	if (rc == 0)
		rc = claim_slot(to, f);
	if (rc != 0)
		return rc;
	memcpy(to, s, sizeof(*s));
	filled_slot(pool, to, f);
	return 0;
}

/* clear_slot -- mark a slot free, snapshotting all of it (see above) */
static int
clear_slot(struct pk_slot *s)
{
	int rc = pk__snap(s, sizeof(*s));
	if (rc == 0)
		s->hash = 0;
	return rc;
}

/* unlink_if_empty -- free the overflow bucket *link leads to, if empty */
static int
unlink_if_empty(pk_pool *pool, uint64_t *link)
{
	struct pk_overflow *o = (struct pk_overflow *)(pool->base + *link);
	uint64_t off = *link;
	int rc;

	for (unsigned i = 0; i < PK_OVERFLOW_SLOTS; i++)
		if (o->slot[i].hash != 0)
			return 0;
	if ((rc = pk__snap(link, sizeof(*link))) != 0)
		return rc;
	/* nothing of a bucket is read once it is freed */
	*link = o->next;
	if ((rc = pk__free(pool, off)) != 0)
		*link = off;
	return rc;
}

/* dir_resize -- replace the directory with one of capacity cap */
static int
dir_resize(pk_pool *pool, struct pk_map_hdr *m, uint32_t cap)
{
	struct pk_mapdir *d = dir_get(pool, m), *nd;
	uint64_t off;
	int rc;

	if (d == NULL)
		return corrupt("bad directory");
	rc = pk__alloc(pool, &off, sizeof(*nd) + (size_t)cap * 8,
			PK_TN_MAPDIR, 1);
	if (rc != 0)
		return rc;
	nd = (struct pk_mapdir *)(pool->base + off);
	nd->magic = PK_MAGIC_MAPDIR;
	nd->cap = cap;
	memcpy(nd->seg, d->seg, (size_t)(cap < d->cap ? cap : d->cap) * 8);
	rc = pk__free(pool, m->dir);
	if (rc != 0) {
		/* all or nothing: a caller may go on without the new one */
		pk__free(pool, off);
		return rc;
	}
	m->dir = off; /* the header range is already snapshotted */
	return 0;
}

/* seg_free -- free segment number seg at off, if it is one: a damaged
 * offset must not free another object */
static int
seg_free(pk_pool *pool, uint64_t off, uint64_t seg)
{
	struct pk_segment *s = pk__ptr(pool, off, seg_bytes(seg));

	if (s == NULL || s->magic != PK_MAGIC_SEGMENT ||
	    s->nbuckets != seg_len(seg))
		return corrupt("bad segment");
	return pk__free(pool, off);
}

/* add_segment -- allocate the segment that bucket n starts */
static int
add_segment(pk_pool *pool, struct pk_map_hdr *m, uint64_t seg)
{
	struct pk_mapdir *d = dir_get(pool, m);
	struct pk_segment *s;
	uint64_t off;
	int rc;

	if (d == NULL)
		return corrupt("bad directory");
	if (seg >= d->cap) {
		if ((rc = dir_resize(pool, m, d->cap * 2)) != 0)
			return rc;
		d = dir_get(pool, m);
	} else if ((rc = pk__snap(&d->seg[seg], 8)) != 0) {
		return rc;
	}
	/* zeroed: filling a free slot snapshots its first 8 bytes, which
	 * must be defined bytes then (and the hash 0 marks it free) */
	rc = pk__alloc(pool, &off, seg_bytes(seg), PK_TN_SEGMENT, 1);
	if (rc != 0)
		return rc;
	s = (struct pk_segment *)(pool->base + off);
	s->magic = PK_MAGIC_SEGMENT;
	s->nbuckets = (uint32_t)seg_len(seg);
	memset(s->pad, 0, sizeof(s->pad));
	d->seg[seg] = off;
	return 0;
}

/*
 * split -- linear hashing's split of bucket p into the new bucket n:
 * entries whose hash has bit `level` set move over.
 */
static int
split(pk_pool *pool, struct pk_map_hdr *m)
{
	uint64_t n = m->nbuckets, seg, idx;
	unsigned level = pk__log2(n);
	struct chain src, dst;
	uint64_t *link = NULL;
	int fresh = 0, flush_dst = 0, rc;

	seg_of(n, &seg, &idx);
	if (idx == 0) {
		if ((rc = add_segment(pool, m, seg)) != 0)
			return rc;
		fresh = 1;
	}
	if ((rc = chain_head(pool, m, n, &dst)) != 0 ||
	    (rc = chain_head(pool, m, n - (1ULL << level), &src)) != 0)
		return rc;
	/*
	 * The new bucket lies beyond nbuckets: its contents were garbage when
	 * the transaction began, unless a merge in this transaction retired
	 * it. Only then does it need a snapshot; else writing it and flushing
	 * it once written (below) is enough, like memory allocated in this
	 * transaction. The flush needs no range of libpmemobj's (one costs
	 * hundreds of ns): the commit's drain orders it, as for filled_slot().
	 */
	if (!fresh && pk__tx_merged()) {
		if ((rc = pk__snap(dst.s, dst.n * sizeof(*dst.s))) != 0 ||
		    (rc = pk__snap(dst.next, 8)) != 0)
			return rc;
	} else if (!fresh) {
		flush_dst = 1;
	}
	for (unsigned i = 0; i < dst.n; i++)
		dst.s[i].hash = 0;
	*dst.next = 0;
	fresh = 1; /* all of the new bucket is snapshotted, flushed or new */

	do {
		uint64_t *mylink = link;
		int snapped = 0;
		link = src.next;
		for (unsigned i = 0; i < src.n; i++) {
			struct pk_slot *s = &src.s[i];
			if (s->hash == 0 || !((s->hash >> level) & 1))
				continue;
			/* one snapshot of the bucket covers every slot freed */
			if (!snapped && (rc = pk__snap(src.s,
					src.n * sizeof(*src.s))) != 0)
				return rc;
			snapped = 1;
			if ((rc = move_slot(pool, dst, fresh, s)) != 0)
				return rc;
			s->hash = 0;
		}
		if (!src.head) {
			/* the link here is *mylink; the bucket may be empty */
			uint64_t before = *mylink;
			if ((rc = unlink_if_empty(pool, mylink)) != 0)
				return rc;
			if (*mylink != before) {
				/* it is gone: keep the link, and go on from
				 * it rather than from the freed bucket */
				link = mylink;
				src.next = mylink;
			}
		}
	} while ((rc = chain_step(pool, &src)) == 1);
	if (rc != 0)
		return rc;
	if (flush_dst) {
		pmemobj_flush(pool->pop, dst.s, dst.n * sizeof(*dst.s));
		pmemobj_flush(pool->pop, dst.next, 8);
	}
	m->nbuckets = n + 1;
	return 0;
}

/* chain_free -- free the overflow buckets chained after c */
static int
chain_free(pk_pool *pool, struct chain c)
{
	uint64_t prev = 0;
	int rc;

	/* each bucket is freed once the walk has left it */
	while (*c.next != 0) {
		uint64_t off = *c.next;
		if ((rc = chain_step(pool, &c)) < 0 || rc > 1)
			return rc;
		if (prev != 0 && (rc = pk__free(pool, prev)) != 0)
			return rc;
		prev = off;
	}
	if (prev != 0 && (rc = pk__free(pool, prev)) != 0)
		return rc;
	return 0;
}

/*
 * grow_chain -- append n empty overflow buckets to the chain at c, all or
 * none: PK_ENOSPACE leaves the chain as it was
 */
static int
grow_chain(pk_pool *pool, struct chain c, unsigned n)
{
	uint64_t offs[8];
	struct pk_overflow *o, *tail = NULL;
	unsigned i;
	int rc = 0;

	if (n > sizeof(offs) / sizeof(offs[0]))
		return PK_ENOSPACE; /* an unusual chain; merge it later */
	for (i = 0; i < n; i++) {
		if ((rc = new_overflow(pool, &offs[i], &o)) != 0)
			break;
		if (tail != NULL)
			tail->next = offs[i];
		tail = o;
	}
	if (rc != 0) {
		while (i-- > 0)
			pk__free(pool, offs[i]);
		return rc;
	}
	while ((rc = chain_step(pool, &c)) == 1)
		;
	if (rc != 0 || (rc = pk__snap(c.next, sizeof(*c.next))) != 0)
		return rc;
	*c.next = offs[0];
	return 0;
}

/* chain_count -- used and free slots of a chain */
static int
chain_count(pk_pool *pool, struct chain c, unsigned *used, unsigned *avail)
{
	int rc;

	*used = *avail = 0;
	do {
		for (unsigned i = 0; i < c.n; i++) {
			*used += c.s[i].hash != 0;
			*avail += c.s[i].hash == 0;
		}
	} while ((rc = chain_step(pool, &c)) == 1);
	return rc;
}

/*
 * merge -- undo the last split: move the last bucket's entries into its
 * buddy. When they do not fit, overflow buckets are added to the buddy;
 * if the pool has no room for them the merge waits for a later remove, so
 * a remove never fails for want of space.
 */
static int
merge(pk_pool *pool, struct pk_map_hdr *m)
{
	uint64_t last = m->nbuckets - 1, seg, idx;
	struct chain src, dst, c;
	unsigned need, room, used, unused;
	int rc;

	if (last == 0)
		return 0;
	pk__tx_set_merged();
	if ((rc = chain_head(pool, m, last, &src)) != 0 ||
	    (rc = chain_head(pool, m, last - (1ULL << pk__log2(last)),
			    &dst)) != 0 ||
	    (rc = chain_count(pool, src, &need, &unused)) != 0 ||
	    (rc = chain_count(pool, dst, &used, &room)) != 0)
		return rc;
	if (need > room && (rc = grow_chain(pool, dst,
				(need - room + PK_OVERFLOW_SLOTS - 1) /
				PK_OVERFLOW_SLOTS)) != 0)
		return rc == PK_ENOSPACE ? 0 : rc;
	c = src;
	do {
		for (unsigned i = 0; i < c.n; i++)
			if (c.s[i].hash != 0 &&
			    (rc = move_slot(pool, dst, 0, &c.s[i])) != 0)
				return rc;
	} while ((rc = chain_step(pool, &c)) == 1);
	if (rc != 0 || (rc = chain_free(pool, src)) != 0)
		return rc;
	m->nbuckets = last;
	seg_of(last, &seg, &idx);
	if (idx == 0) {
		struct pk_mapdir *d = dir_get(pool, m);
		if (d == NULL)
			return corrupt("bad directory");
		if ((rc = pk__snap(&d->seg[seg], 8)) != 0 ||
		    (rc = seg_free(pool, d->seg[seg], seg)) != 0)
			return rc;
		d->seg[seg] = 0;
		/*
		 * A smaller directory is an economy: with no room for it the
		 * larger one stays (dir_resize changes nothing when it
		 * fails), and a later merge tries again.
		 */
		if (d->cap > DIR_MIN && seg <= d->cap / 4) {
			rc = dir_resize(pool, m, d->cap / 2);
			return rc == PK_ENOSPACE ? 0 : rc;
		}
	}
	return 0;
}

/* map_hdr -- the header of the map a handle refers to */
static inline int
map_hdr(struct pk_map_hdr **out, pk_map *map)
{
	return pk__handle_get((void **)out, map == NULL ? NULL : &map->h);
}

int
pk__map_create(pk_pool *pool, uint64_t *off)
{
	struct pk_map_hdr *m;
	struct pk_mapdir *d;
	struct pk_segment *s;
	uint64_t doff, soff, gen;
	int rc;

	if ((rc = pk__alloc(pool, off, sizeof(*m), PK_TN_MAP, 1)) != 0 ||
	    (rc = pk__alloc(pool, &doff, sizeof(*d) + DIR_MIN * 8,
			    PK_TN_MAPDIR, 1)) != 0 ||
	    (rc = pk__alloc(pool, &soff, seg_bytes(0), PK_TN_SEGMENT,
			    1)) != 0 ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	s = (struct pk_segment *)(pool->base + soff);
	s->magic = PK_MAGIC_SEGMENT;
	s->nbuckets = 1;
	d = (struct pk_mapdir *)(pool->base + doff);
	d->magic = PK_MAGIC_MAPDIR;
	d->cap = DIR_MIN;
	d->seg[0] = soff;
	m = (struct pk_map_hdr *)(pool->base + *off);
	m->h.magic = PK_MAGIC_MAP;
	m->h.version = 1;
	m->h.gen = gen;
	m->nbuckets = 1;
	m->dir = doff;
	m->leaf = PK_LEAF;
	return 0;
}

int
pk__map_set_count(pk_pool *pool, uint64_t off, uint64_t n)
{
	struct pk_map_hdr *m = (struct pk_map_hdr *)(pool->base + off);
	int rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN);

	if (rc == 0) {
		m->count = n;
		m->modcount++;
	}
	return rc;
}

/*
 * release_all -- drop what every entry holds (blobs, references) and
 * free the overflow buckets, the segments (but the first, if keep_seg0)
 * and, unless keep_seg0, the directory
 */
static int
release_all(pk_pool *pool, struct pk_map_hdr *m, int keep_seg0)
{
	struct pk_mapdir *d = dir_get(pool, m);
	int rc;

	if (d == NULL)
		return corrupt("bad directory");
	for (uint64_t b = 0; b < m->nbuckets; b++) {
		struct chain head, c;
		if ((rc = chain_head(pool, m, b, &head)) != 0)
			return rc;
		c = head;
		do {
			for (unsigned i = 0; i < c.n; i++)
				if (c.s[i].hash != 0 &&
				    (rc = pk__slot_release(pool,
						    &c.s[i])) != 0)
					return rc;
		} while ((rc = chain_step(pool, &c)) == 1);
		if (rc != 0 || (rc = chain_free(pool, head)) != 0)
			return rc;
	}
	for (uint64_t s = keep_seg0 ? 1 : 0; s < d->cap && d->seg[s]; s++)
		if ((rc = seg_free(pool, d->seg[s], s)) != 0)
			return rc;
	return keep_seg0 ? 0 : pk__free(pool, m->dir);
}

/* map_destroy -- free a map whose last reference went */
static int
map_destroy(pk_pool *pool, uint64_t off)
{
	int rc = release_all(pool, (struct pk_map_hdr *)(pool->base + off), 0);
	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/* map_walk -- every allocation a map owns and every reference it holds */
static int
map_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	struct pk_map_hdr *m = (struct pk_map_hdr *)(pool->base + off);
	struct pk_mapdir *d = dir_get(pool, m);
	uint64_t nseg, idx, links = 0, used = 0;
	int rc;

	if (d == NULL || m->nbuckets == 0)
		return corrupt("bad directory");
	seg_of(m->nbuckets - 1, &nseg, &idx);
	if (nseg >= d->cap)
		return corrupt("directory too small");
	if ((rc = w->object(w, m->dir)) != 0)
		return rc;
	for (uint64_t s = 0; s <= nseg; s++) {
		struct pk_segment *sg = pk__ptr(pool, d->seg[s], seg_bytes(s));
		if (sg == NULL || sg->magic != PK_MAGIC_SEGMENT ||
		    sg->nbuckets != seg_len(s))
			return corrupt("bad segment");
		if ((rc = w->object(w, d->seg[s])) != 0)
			return rc;
	}
	for (uint64_t b = 0; b < m->nbuckets; b++) {
		struct chain c;
		if ((rc = chain_head(pool, m, b, &c)) != 0)
			return rc;
		do {
			if (!c.head && (rc = w->object(w, (uint64_t)((char *)c.s -
					offsetof(struct pk_overflow, slot) -
					pool->base))) != 0)
				return rc;
			for (unsigned i = 0; i < c.n; i++) {
				if (c.s[i].hash == 0)
					continue;
				used++;
				if ((rc = pk__slot_walk(&c.s[i], w)) != 0)
					return rc;
			}
			/* not bounded by the count, which may be off after a
			 * crash (see "Atomic inserts") */
			if (++links > m->nbuckets + max_overflow(pool))
				return corrupt("overflow chain loops");
		} while ((rc = chain_step(pool, &c)) == 1);
		if (rc != 0)
			return rc;
	}
	return used == m->count ? 0 : w->miscount(w, off, used);
}

static int map_cursor_next(struct pk_cursor *c, pk_value *key,
		pk_value *val);

const struct pk_kind pk__map_kind = {
	.type = PK_MAP,
	.magic = PK_MAGIC_MAP,
	.hdr_size = sizeof(struct pk_map_hdr),
	.leaf_off = offsetof(struct pk_map_hdr, leaf),
	.modcount_off = offsetof(struct pk_map_hdr, modcount),
	.type_num = PK_TN_MAP,
	.destroy = map_destroy,
	.walk = map_walk,
	.cursor_next = map_cursor_next,
};

static int
map_new(pk_map **out, pk_pool *pool)
{
	struct pk_op op;
	uint64_t off = 0;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	rc = pk__op_begin(&op, pool, 1);
	if (rc == 0)
		rc = pk__op_end(&op, pk__map_create(pool, &off));
	if (rc != 0)
		return rc;
	return pk__handle_new((struct pk_handle **)out, sizeof(**out), pool,
			off, PK_MAGIC_MAP);
}

static int
map_open(pk_map **out, pk_pool *pool, const pk_value *val)
{
	return pk__handle_open((struct pk_handle **)out, sizeof(**out), pool,
			val, PK_MAP);
}

void
pk_map_close(pk_map *map)
{
	pk__handle_close(map == NULL ? NULL : &map->h);
}

pk_value
pk_map_value(const pk_map *map)
{
	return pk__handle_value(map == NULL ? NULL : &map->h, PK_MAP);
}

/*
 * Atomic inserts and removes. Outside any transaction, an insert whose key
 * and value fit a free slot of their chain inline (no blob, no reference)
 * and that needs no split commits without a libpmemobj transaction: the
 * free slot, whose bytes nothing reads, is filled and persisted, then its
 * hash is stored -- an aligned 4-byte store, which makes the entry exist
 * -- and persisted. A remove of such an entry that frees no overflow
 * bucket and needs no merge clears the hash the same way. The count and
 * modcount are written after that, neither snapshotted nor flushed at
 * once: after a crash the count may be off, and opening a pool after an
 * unclean session recounts every map (gc.c) before anything else reads
 * it; a clean close flushes them first (pk__unsynced). Every other
 * change, and every change inside a transaction, is transactional.
 */
static void
publish(pk_pool *pool, struct pk_map_hdr *m, struct pk_slot *s, uint32_t h,
		int insert)
{
	__atomic_store_n(&s->hash, h, __ATOMIC_RELEASE);
	pmemobj_persist(pool->pop, &s->hash, sizeof(s->hash));
	m->count = insert ? m->count + 1 : m->count - 1;
	m->modcount++;
	pk__unsynced(pool, &m->count);
}

/* insert_atomic -- the atomic insert into the free slot s */
static int
insert_atomic(pk_pool *pool, struct pk_map_hdr *m, struct pk_slot *s,
		uint32_t h, const pk_value *key, const pk_value *val)
{
	int rc = pk__slot_write(pool, s, key, val); /* allocates nothing */

	if (rc != 0)
		return rc;
	pmemobj_persist(pool->pop, (char *)s + sizeof(s->hash),
			sizeof(*s) - sizeof(s->hash));
	publish(pool, m, s, h, 1);
	return 0;
}

/* remove_atomic -- whether the entry found at l can go atomically */
static int
remove_atomic(const struct pk_map_hdr *m, const struct loc *l)
{
	unsigned others = 0;

	if (!pk__slot_plain_stored(l->slot) ||
	    (m->nbuckets > 1 && m->count - 1 < LOAD_MERGE * m->nbuckets))
		return 0;
	if (l->link == NULL)
		return 1;
	for (unsigned i = 0; i < l->at.n; i++)
		others += l->at.s[i].hash != 0 && &l->at.s[i] != l->slot;
	return others > 0; /* else the overflow bucket is freed */
}

static int
map_put(pk_map *map, const pk_value *key, const pk_value *val)
{
	struct pk_map_hdr *m;
	struct pk_key k;
	struct pk_slot *s;
	struct loc l;
	struct pk_op op;
	uint32_t h;
	int fresh = 0, found = 0, rc, frc = 0;

	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = map_hdr(&m, map)) != 0 ||
	    (rc = pk__value_check_in(map->h.pool, val)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	h = hash32(pool, &k);
	if (pk__tx_none()) {
		/* a lookup needs no transaction, and the insert may not */
		rc = find(pool, m, &k, h, &l);
		if (rc == PK_NOTFOUND && l.free != NULL &&
		    m->count < LOAD_SPLIT * m->nbuckets &&
		    pk__slot_plain(key, val))
			return insert_atomic(pool, m, l.free, h, key, val);
		if (rc != 0 && rc != PK_NOTFOUND)
			return rc;
		if (rc == 0 && (rc = pk__ref_drop_check(l.slot->vtype)) != 0)
			return rc;
		found = 1;
		frc = rc;
	}
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if ((rc = pk__leaf_unset(&m->leaf, val, 1)) != 0)
		return pk__op_end(&op, rc);
	rc = found ? frc : find(pool, m, &k, h, &l);
	if (rc == 0) {
		rc = pk__snap(l.slot, sizeof(*l.slot));
		if (rc == 0)
			rc = pk__slot_set_value(pool, l.slot, val);
		return pk__op_end(&op, rc);
	}
	if (rc != PK_NOTFOUND)
		return pk__op_end(&op, rc);

	rc = 0;
	s = l.free;
	if (s == NULL)
		rc = place(pool, l.last, 0, &s, &fresh);
	if (rc == 0)
		rc = claim_slot(s, fresh);
	if (rc == 0)
		rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN);
	if (rc == 0)
		rc = pk__slot_write(pool, s, key, val);
	if (rc == 0) {
		s->hash = h;
		filled_slot(pool, s, fresh);
		m->count++;
		m->modcount++;
		/* once over the load, a large map's SPLIT_BATCH splits
		 * share the transaction and leave room for atomic inserts */
		unsigned batch = m->nbuckets < PK_SEG_BUCKETS ? 1 : SPLIT_BATCH;
		for (unsigned i = 0; i < batch && rc == 0 &&
				m->count + i * LOAD_SPLIT >
				LOAD_SPLIT * m->nbuckets; i++)
			rc = split(pool, m);
	}
	return pk__op_end(&op, rc);
}

static int
map_get(pk_value *out, pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct pk_key k;
	struct loc l;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = map_hdr(&m, map)) != 0)
		return rc;
	rc = find(map->h.pool, m, &k, hash32(map->h.pool, &k), &l);
	if (rc != 0)
		return rc;
	return pk__slot_value(map->h.pool, out, l.slot);
}

static int
map_contains(int *out, pk_map *map, const pk_value *key)
{
	pk_value v;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	rc = map_get(&v, map, key);
	*out = rc == 0;
	return rc == PK_NOTFOUND ? 0 : rc;
}

static int
map_remove(pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct pk_slot gone;
	struct pk_key k;
	struct loc l;
	struct pk_op op;
	int found, rc;

	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = map_hdr(&m, map)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	if ((found = pk__tx_none())) {
		if ((rc = find(pool, m, &k, hash32(pool, &k), &l)) != 0 ||
		    (rc = pk__ref_drop_check(l.slot->vtype)) != 0)
			return rc;
		if (remove_atomic(m, &l)) {
			publish(pool, m, l.slot, 0, 0);
			return 0;
		}
	}
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if (!found && (rc = find(pool, m, &k, hash32(pool, &k), &l)) != 0)
		return pk__op_end(&op, rc);
	/* keep a copy: merging may reuse the slot before it is released */
	memcpy(&gone, l.slot, sizeof(gone));
	if ((rc = clear_slot(l.slot)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0)
		return pk__op_end(&op, rc);
	m->count--;
	m->modcount++;
	/* an overflow bucket left empty goes back to the pool */
	if (l.link != NULL)
		rc = unlink_if_empty(pool, l.link);
	if (rc == 0 && m->nbuckets > 1 && m->count < LOAD_MERGE * m->nbuckets)
		rc = merge(pool, m);
	if (rc == 0)
		rc = pk__slot_release(pool, &gone);
	return pk__op_end(&op, rc);
}

static int
map_length(uint64_t *out, pk_map *map)
{
	struct pk_map_hdr *m;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = map_hdr(&m, map)) != 0)
		return rc;
	*out = m->count;
	return 0;
}

static int
map_clear(pk_map *map)
{
	struct pk_map_hdr *m;
	struct pk_mapdir *d;
	struct chain b0;
	struct pk_op op;
	int rc;

	if ((rc = map_hdr(&m, map)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	/*
	 * Hold a reference while entries are released: one of them may hold
	 * the last other reference to this map.
	 */
	pk_value self = pk_map_value(map);
	if ((rc = pk__ref_acquire(pool, &self)) != 0 ||
	    (rc = release_all(pool, m, 1)) != 0 ||
	    (rc = chain_head(pool, m, 0, &b0)) != 0)
		return pk__op_end(&op, rc);
	if ((d = dir_get(pool, m)) == NULL)
		return pk__op_end(&op, corrupt("bad directory"));
	if ((rc = pk__snap(b0.s, b0.n * sizeof(*b0.s))) != 0 ||
	    (rc = pk__snap(b0.next, 8)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0 ||
	    (rc = pk__snap(&m->leaf, sizeof(m->leaf))) != 0 ||
	    (rc = pk__snap(d->seg, (size_t)d->cap * 8)) != 0)
		return pk__op_end(&op, rc);
	m->leaf = PK_LEAF;
	for (unsigned i = 0; i < b0.n; i++)
		b0.s[i].hash = 0;
	*b0.next = 0;
	memset(d->seg + 1, 0, (size_t)(d->cap - 1) * 8);
	m->count = 0;
	m->nbuckets = 1;
	m->modcount++;
	if (d->cap > DIR_MIN)
		rc = dir_resize(pool, m, DIR_MIN);
	/* drop the hold; at zero the map is as unreferenced as a new one */
	if (rc == 0)
		m->h.refcount--;
	return pk__op_end(&op, rc);
}

static int
map_cursor(pk_cursor **out, pk_map *map)
{
	struct pk_map_hdr *m;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((rc = map_hdr(&m, map)) != 0)
		return rc;
	return pk__cursor_new(out, &map->h, m->modcount);
}

static int
map_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_map_hdr *m;
	pk_pool *pool = cur->h.pool;
	int rc;

	if ((rc = pk__handle_get((void **)&m, &cur->h)) != 0)
		return rc;
	if (m->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	for (; cur->index < m->nbuckets; cur->index++, cur->chain = 0,
			cur->at = 0) {
		struct chain c;
		if ((rc = chain_head(pool, m, cur->index, &c)) != 0 ||
		    (cur->at != 0 && (rc = chain_resume(pool, &c, cur->at,
				    cur->chain)) != 0))
			return rc;
		do {
			for (; cur->slot < c.n; cur->slot++) {
				struct pk_slot *s = &c.s[cur->slot];
				pk_value kv, vv;
				if (s->hash == 0)
					continue;
				cur->slot++;
				if ((rc = pk__slot_key(pool, &kv, s)) != 0 ||
				    (rc = pk__slot_value(pool, &vv, s)) != 0)
					return rc;
				if (key != NULL)
					*key = kv;
				if (val != NULL)
					*val = vv;
				return 0;
			}
			cur->slot = 0;
			/* every overflow bucket holds an entry: longer loops */
			if (++cur->chain > m->count + 2)
				return corrupt("overflow chain loops");
			if ((rc = chain_step(pool, &c)) == 1)
				cur->at = pk__off(pool, c.next) -
					offsetof(struct pk_overflow, next);
		} while (rc == 1);
		if (rc != 0)
			return rc;
	}
	return PK_ITEROVER;
}

/*
 * ---- the public functions, each under its locks (lock.c); a clear holds
 * the pool's exclusively, as it may free what its entries refer to ----
 */

/*
 * The fast lookup of get and contains. A get that misses the cache costs a
 * miss plus its instructions, and only a short lookup lets the processor
 * start the next get's miss before this one's ends (doc/performance.md).
 * So the common case, a key of bytes, a string or an int found stored
 * inline, or absent, is answered here, with the same bounds checks on
 * everything read from the pool and two thirds of the instructions. The
 * rest (other key types, keys stored out of line, damage, a writer at
 * work, a user transaction) returns PK__ESLOW and takes the general path,
 * which also produces every error. A string key is checked for UTF-8 only
 * when absent: one found matches a stored, so valid, key byte for byte.
 */
struct fast_key {
	struct pk_key k;
	uint8_t type;		/* the slot's ktype of such a key */
	uint8_t len;
	/* stored key lengths slot_matches() takes as valid for the type:
	 * kmin + [0, kspan] */
	uint8_t kmin, kspan;
	uint32_t h;
};

static inline int
fast_key(struct fast_key *f, pk_pool *pool, const pk_value *key)
{
	switch (key->type) {
	case PK_BYTES:
	case PK_STRING:
		if (key->u.buf.len > PK_SLOT_DATA ||
		    (key->u.buf.ptr == NULL && key->u.buf.len != 0))
			return PK__ESLOW;
		f->k.cls = key->type == PK_BYTES ? PK_KC_BYTES : PK_KC_STRING;
		f->k.ptr = key->u.buf.ptr;
		f->k.len = f->len = (uint8_t)key->u.buf.len;
		f->kmin = 0;
		f->kspan = PK_SLOT_DATA;
		break;
	case PK_INT:
		f->k.cls = PK_KC_INT;
		f->k.i = key->u.i;
		f->k.ptr = &f->k.i;
		f->len = f->kmin = 8;
		f->kspan = 0;
		break;
	default:
		return PK__ESLOW;
	}
	f->type = (uint8_t)key->type;
	/* as pk__key_hash() hashes these classes */
	f->h = (uint32_t)pk__hash_bytes(pool, f->k.cls, f->k.ptr, f->len) |
		PK_HASH_USED;
	return 0;
}

/* whether n bytes at a and b are equal, n <= PK_SLOT_DATA */
static inline int
bytes_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t a0, b0, a1, b1;

	if (n < 8 || n > 16)
		return n == 0 || memcmp(a, b, n) == 0;
	/* two loads each, overlapping when n < 16 */
	memcpy(&a0, a, 8);
	memcpy(&b0, b, 8);
	memcpy(&a1, a + n - 8, 8);
	memcpy(&b1, b + n - 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* find_fast -- the slot of key f in m: 0, PK_NOTFOUND or PK__ESLOW */
static int
find_fast(const struct pk_slot **out, pk_pool *pool,
		const struct pk_map_hdr *m, const struct fast_key *f)
{
	uint64_t n = __atomic_load_n(&m->nbuckets, __ATOMIC_RELAXED);
	uint64_t links = 0;
	struct chain c;
	int rc;

	if (n == 0 || chain_head(pool, m, home(f->h, n), &c) != 0)
		return PK__ESLOW;
	prefetch_bucket(c.s);
	do {
		for (unsigned i = 0; i < c.n; i++) {
			const struct pk_slot *s = &c.s[i];
			if (s->hash != f->h)
				continue;
			/* another type, a key out of line, or a length
			 * slot_matches() would call damage: undecided */
			if (s->ktype != f->type ||
			    (unsigned)(s->klen - f->kmin) > f->kspan)
				return PK__ESLOW;
			if (s->klen == f->len &&
			    bytes_equal(s->data, f->k.ptr, f->len)) {
				*out = s;
				return 0;
			}
		}
		if (++links > m->count + 2)
			return PK__ESLOW;
	} while ((rc = chain_step(pool, &c)) == 1);
	return rc == 0 ? PK_NOTFOUND : PK__ESLOW;
}

/*
 * copy_payload -- pk_map_get_copy()'s copy of the payload v borrows into
 * buf, or, when it is longer than cap, its length with a NULL pointer. In
 * an optimistic read v may hold garbage, but its pointer and length were
 * bounds-checked together (each read once), so the copy stays in the pool.
 */
struct copy_to {
	void *buf;
	size_t cap;
};

static void
copy_payload(pk_value *v, const struct copy_to *to)
{
	if (v->type != PK_BYTES && v->type != PK_STRING &&
	    v->type != PK_BIGINT)
		return;
	if (v->u.buf.len > to->cap) {
		v->u.buf.ptr = NULL;
		return;
	}
	if (v->u.buf.len != 0)
		memcpy(to->buf, v->u.buf.ptr, v->u.buf.len);
	/* never NULL here: NULL says "too long" (buf may be NULL if cap 0) */
	v->u.buf.ptr = to->buf != NULL ? to->buf : (const void *)"";
}

/*
 * lookup_fast -- get (out != NULL) or contains (found != NULL) key in map
 * by the fast path, as an optimistic read; a get copies the payload when
 * to is not NULL (before the read is validated: a torn copy is thrown
 * away with the rest)
 */
static int
lookup_fast(pk_value *out, int *found, pk_map *map, const pk_value *key,
		const struct copy_to *to)
{
	const struct pk_handle *h = PK_HANDLE_OF(map);
	const struct pk_slot *s = NULL;
	struct pk_map_hdr *m;
	struct pk_readseq seq;
	struct fast_key f;
	pk_pool *pool;
	int rc;

	if (key == NULL || (out == NULL && found == NULL) ||
	    !pk__seq_begin(h, &seq) ||
	    (m = (struct pk_map_hdr *)pk__handle_peek(h)) == NULL ||
	    fast_key(&f, pool = h->pool, key) != 0)
		return PK__ESLOW;
	rc = find_fast(&s, pool, m, &f);
	/* an absent string key must be valid to be absent */
	if (rc == PK_NOTFOUND && f.type == PK_STRING &&
	    !pk__utf8_valid(f.k.ptr, f.len))
		return PK__ESLOW;
	if (rc == 0) {
		/* each read once: a writer may change them meanwhile */
		unsigned t = s->vtype;
		unsigned off = __atomic_load_n(&s->klen, __ATOMIC_RELAXED);
		unsigned len = __atomic_load_n(&s->vlen, __ATOMIC_RELAXED);
		pk_value v;
		if ((t == PK_BYTES || t == PK_STRING) &&
		    off + len <= PK_SLOT_DATA) {
			if (out != NULL) {
				out->type = (pk_type)t;
				out->u.buf.ptr = s->data + off;
				out->u.buf.len = len;
			}
		} else if (pk__slot_value(pool, &v, s) != 0) {
			/* contains reads it too: the general path would
			 * report the damage, for both */
			rc = PK__ESLOW;
		} else if (out != NULL) {
			*out = v;
		}
		if (rc == 0 && out != NULL && to != NULL)
			copy_payload(out, to);
	}
	if (found != NULL && rc != PK__ESLOW) {
		*found = rc == 0;
		rc = 0;
	}
	if (rc != PK__ESLOW && !pk__seq_valid(h, &seq))
		rc = PK__ESLOW;
	return rc;
}

int
pk_map_open(pk_map **out, pk_pool *pool, const pk_value *val)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_SHARED);
	rc = map_open(out, pool, val);
	pk__unlock(&l);
	return rc;
}

/* the general paths of get and contains, apart so that the fast path's
 * callers do not pay for their registers */
static __attribute__((noinline)) int
map_get_slow(pk_value *out, pk_map *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_get(out, map, key);
	while (!pk__read_done(&r));
	return rc;
}

static int
map_get_copy(pk_value *out, const struct copy_to *to, pk_map *map,
		const pk_value *key)
{
	int rc = map_get(out, map, key);
	if (rc == 0)
		copy_payload(out, to);
	return rc;
}

static __attribute__((noinline)) int
map_get_copy_slow(pk_value *out, const struct copy_to *to, pk_map *map,
		const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_get_copy(out, to, map, key);
	while (!pk__read_done(&r));
	return rc;
}

static __attribute__((noinline)) int
map_contains_slow(int *out, pk_map *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_contains(out, map, key);
	while (!pk__read_done(&r));
	return rc;
}

int
pk_map_get(pk_value *out, pk_map *map, const pk_value *key)
{
	int rc = out != NULL ? lookup_fast(out, NULL, map, key, NULL) :
		PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_get_slow(out, map, key);
}

int
pk_map_get_copy(pk_value *out, void *buf, size_t cap, pk_map *map,
		const pk_value *key)
{
	struct copy_to to = { buf, cap };
	int rc;

	if (buf == NULL && cap != 0)
		return pk__err(EINVAL, "NULL buf of %zu bytes", cap);
	rc = out != NULL ? lookup_fast(out, NULL, map, key, &to) : PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_get_copy_slow(out, &to, map, key);
}

int
pk_map_contains(int *out, pk_map *map, const pk_value *key)
{
	int rc = out != NULL ? lookup_fast(NULL, out, map, key, NULL) :
		PK__ESLOW;
	return rc != PK__ESLOW ? rc : map_contains_slow(out, map, key);
}

int
pk_map_length(uint64_t *out, pk_map *map)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = map_length(out, map);
	while (!pk__read_done(&r));
	return rc;
}

int
pk_map_cursor(pk_cursor **out, pk_map *map)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_LOCKED);
	do
		rc = map_cursor(out, map);
	while (!pk__read_done(&r));
	return rc;
}

int
pk_map_new(pk_map **out, pk_pool *pool)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, pool, PK_EXCL);
	rc = map_new(out, pool);
	pk__unlock(&l);
	return rc;
}

int
pk_map_put(pk_map *map, const pk_value *key, const pk_value *val)
{
	struct pk_write w;
	int rc;

	pk__write_begin(&w, PK_HANDLE_OF(map), pk__refs_in(val, 1));
	do
		rc = map_put(map, key, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

int
pk_map_remove(pk_map *map, const pk_value *key)
{
	struct pk_write w;
	int rc;

	pk__write_begin(&w, PK_HANDLE_OF(map), 0);
	do
		rc = map_remove(map, key);
	while (!pk__write_done(&w, rc));
	return rc;
}

int
pk_map_clear(pk_map *map)
{
	struct pk_lock l;
	int rc;

	pk__lock(&l, (map != NULL ? map->h.pool : NULL), PK_EXCL);
	rc = map_clear(map);
	pk__unlock(&l);
	return rc;
}
