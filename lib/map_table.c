/*
 * map_table.c -- the map's table
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
 * pk__map_split(); outside one, small inserts and removes commit atomically
 * without a transaction ("Atomic inserts and removes" below).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

#define DIR_MIN 8	/* smallest directory capacity */

/* dir_get -- the map's segment directory, checked whole */
static struct pk_mapdir *
dir_get(pk_pool *pool, const struct pk_map_hdr *m)
{
	struct pk_mapdir *d = pk__ptr(pool, m->dir, sizeof(*d));
	if (d == NULL || d->magic != PK_MAGIC_MAPDIR ||
	    pk__ptr(pool, m->dir, sizeof(*d) + (uint64_t)d->cap * 8) == NULL)
		return NULL;
	return d;
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

/* pk__map_place -- a free slot in the chain from c on, growing it if full */
int
pk__map_place(pk_pool *pool, struct chain c, int fresh, struct pk_slot **out,
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

/* move_slot -- copy an entry into a free slot of the chain at dst */
static int
move_slot(pk_pool *pool, struct chain dst, int fresh, const struct pk_slot *s)
{
	struct pk_slot *to;
	int f, rc = pk__map_place(pool, dst, fresh, &to, &f);

	if (rc == 0)
		rc = claim_slot(to, f);
	if (rc != 0)
		return rc;
	memcpy(to, s, sizeof(*s));
	filled_slot(pool, to, f);
	return 0;
}

/* clear_slot -- mark a slot free, snapshotting all of it (see above) */
/* pk__map_unlink_if_empty -- free the overflow bucket *link leads to, if empty */
int
pk__map_unlink_if_empty(pk_pool *pool, uint64_t *link)
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
 * pk__map_split -- linear hashing's split of bucket p into the new bucket n:
 * entries whose hash has bit `level` set move over.
 */
int
pk__map_split(pk_pool *pool, struct pk_map_hdr *m)
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
			if ((rc = pk__map_unlink_if_empty(pool, mylink)) != 0)
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
 * pk__map_merge -- undo the last split: move the last bucket's entries into its
 * buddy. When they do not fit, overflow buckets are added to the buddy;
 * if the pool has no room for them the merge waits for a later remove, so
 * a remove never fails for want of space.
 */
int
pk__map_merge(pk_pool *pool, struct pk_map_hdr *m)
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

/* pk__map_create -- allocate an empty map (the kind's create) */
int
pk__map_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	(void)arg;
	return pk__map_create_as(pool, off, PK_MAGIC_MAP, PK_TN_MAP);
}

/* pk__map_create_as -- allocate an empty map whose header has the magic
 * and type number of another kind built on the map (set.c) */
int
pk__map_create_as(pk_pool *pool, uint64_t *off, uint32_t magic,
		uint64_t type_num)
{
	struct pk_map_hdr *m;
	struct pk_mapdir *d;
	struct pk_segment *s;
	uint64_t doff, soff, gen;
	int rc;

	if ((rc = pk__alloc(pool, off, sizeof(*m), type_num, 1)) != 0 ||
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
	m->h.magic = magic;
	m->h.version = 1;
	m->h.gen = gen;
	m->nbuckets = 1;
	m->dir = doff;
	m->leaf = PK_LEAF;
	return 0;
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

/*
 * pk__map_clear -- remove every entry and give back all but the first
 * segment (the kind's clear): the map is as a new one
 */
int
pk__map_clear(pk_pool *pool, void *hdr)
{
	struct pk_map_hdr *m = hdr;
	struct pk_mapdir *d;
	struct chain b0;
	int rc;

	if ((rc = release_all(pool, m, 1)) != 0 ||
	    (rc = chain_head(pool, m, 0, &b0)) != 0)
		return rc;
	if ((d = dir_get(pool, m)) == NULL)
		return corrupt("bad directory");
	if ((rc = pk__snap(b0.s, b0.n * sizeof(*b0.s))) != 0 ||
	    (rc = pk__snap(b0.next, 8)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0 ||
	    (rc = pk__snap(&m->leaf, sizeof(m->leaf))) != 0 ||
	    (rc = pk__snap(d->seg, (size_t)d->cap * 8)) != 0)
		return rc;
	m->leaf = PK_LEAF;
	for (unsigned i = 0; i < b0.n; i++)
		b0.s[i].hash = 0;
	*b0.next = 0;
	memset(d->seg + 1, 0, (size_t)(d->cap - 1) * 8);
	m->count = 0;
	m->nbuckets = 1;
	m->modcount++;
	return d->cap > DIR_MIN ? dir_resize(pool, m, DIR_MIN) : 0;
}

/* pk__map_destroy -- free a map whose last reference went */
int
pk__map_destroy(pk_pool *pool, uint64_t off)
{
	int rc = release_all(pool, (struct pk_map_hdr *)(pool->base + off), 0);
	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/* pk__map_walk -- every allocation a map owns and every reference it holds */
int
pk__map_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
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
	if ((rc = w->object(w, m->dir, &m->dir)) != 0)
		return rc;
	for (uint64_t s = 0; s <= nseg; s++) {
		struct pk_segment *sg = pk__ptr(pool, d->seg[s], seg_bytes(s));
		if (sg == NULL || sg->magic != PK_MAGIC_SEGMENT ||
		    sg->nbuckets != seg_len(s))
			return corrupt("bad segment");
		if ((rc = w->object(w, d->seg[s], &d->seg[s])) != 0)
			return rc;
	}
	for (uint64_t b = 0; b < m->nbuckets; b++) {
		struct chain c;
		uint64_t *link = NULL;	/* the link to c's bucket */
		if ((rc = chain_head(pool, m, b, &c)) != 0)
			return rc;
		do {
			if (!c.head && (rc = w->object(w, (uint64_t)((char *)c.s -
					offsetof(struct pk_overflow, slot) -
					pool->base), link)) != 0)
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
			link = c.next;
		} while ((rc = chain_step(pool, &c)) == 1);
		if (rc != 0)
			return rc;
	}
	return used == m->count ? 0 : w->miscount(w, off, used);
}
