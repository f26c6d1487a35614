/*
 * map.c -- the persistent hash map
 *
 * Linear hashing (Litwin, 1980) over 512-byte buckets of seven slots. A
 * bucket's home is the low bits of the key's SipHash; the table grows by
 * splitting one bucket when the load passes LOAD_SPLIT entries per bucket
 * and shrinks by merging the last bucket into its buddy when it falls
 * below LOAD_MERGE. So one put or remove moves the entries of at most one
 * bucket chain, allocates at most one segment and copies at most the
 * segment directory (8 bytes per 64 buckets); no operation rehashes the
 * table. Entries that do not fit their bucket go to chained overflow
 * buckets, which are freed as soon as they are empty.
 *
 * Crash atomicity: every byte changed here is snapshotted before it is
 * written (pk__snap), except memory allocated in the same transaction.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOAD_SPLIT 5	/* split while count > LOAD_SPLIT * nbuckets */
#define LOAD_MERGE 2	/* merge while count < LOAD_MERGE * nbuckets */
#define DIR_MIN 8	/* smallest directory capacity */
#define HASH_TOP (1ULL << 63)	/* set in every stored hash: 0 is free */

/* the range of the header that changes on insert and remove */
#define HDR_MUT_OFF offsetof(struct pk_map_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_map_hdr, reserved) - HDR_MUT_OFF)

static inline unsigned
log2_floor(uint64_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

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
		unsigned k = log2_floor(b);
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

static inline size_t
seg_bytes(uint64_t seg)
{
	return sizeof(struct pk_segment) + seg_len(seg) *
		sizeof(struct pk_bucket);
}

/* home bucket of hash h in a table of n buckets */
static inline uint64_t
home(uint64_t h, uint64_t n)
{
	unsigned level = log2_floor(n);
	uint64_t b = h & ((2ULL << level) - 1);
	return b < n ? b : h & ((1ULL << level) - 1);
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

/* bucket -- bucket b of map m, or NULL if the pool is damaged */
static struct pk_bucket *
bucket(pk_pool *pool, const struct pk_map_hdr *m, uint64_t b)
{
	struct pk_mapdir *d = dir_get(pool, m);
	struct pk_segment *s;
	uint64_t seg, idx;

	seg_of(b, &seg, &idx);
	if (d == NULL || seg >= d->cap)
		return NULL;
	s = pk__ptr(pool, d->seg[seg], seg_bytes(seg));
	if (s == NULL || s->magic != PK_MAGIC_SEGMENT ||
	    s->nbuckets != seg_len(seg))
		return NULL;
	return &s->b[idx];
}

/* next_bucket -- the overflow bucket chained after bk, or NULL */
static struct pk_bucket *
next_bucket(pk_pool *pool, const struct pk_bucket *bk, int *corrupt)
{
	struct pk_overflow *o;

	if (bk->next == 0)
		return NULL;
	o = pk__ptr(pool, bk->next, sizeof(*o));
	if (o == NULL || o->magic != PK_MAGIC_OVERFLOW) {
		*corrupt = 1;
		return NULL;
	}
	return &o->b;
}

static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "map: %s", what);
}

/* new_overflow -- allocate an empty overflow bucket */
static int
new_overflow(pk_pool *pool, uint64_t *off, struct pk_bucket **out)
{
	struct pk_overflow *o;
	int rc = pk__alloc(pool, off, sizeof(*o), PK_TN_OVERFLOW, 0);
	if (rc != 0)
		return rc;
	o = (struct pk_overflow *)(pool->base + *off);
	o->magic = PK_MAGIC_OVERFLOW;
	o->reserved = 0;
	memset(o->pad, 0, sizeof(o->pad));
	memset(o->b.hash, 0, sizeof(o->b.hash));
	o->b.next = 0;
	*out = &o->b;
	return 0;
}

/* where a key is, or where it would go */
struct loc {
	struct pk_bucket *bk;	/* bucket holding the key, or NULL */
	unsigned i;
	struct pk_bucket *prev;	/* the bucket chained before bk */
	struct pk_bucket *free_bk; /* first bucket with a free slot */
	unsigned free_i;
	struct pk_bucket *last;	/* last bucket of the chain */
};

static int
slot_matches(pk_pool *pool, const struct pk_slot *s, const struct pk_key *k,
		int *rc)
{
	pk_value v;
	struct pk_key sk;

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

/* find -- look key k (hash h) up in map m */
static int
find(pk_pool *pool, const struct pk_map_hdr *m, const struct pk_key *k,
		uint64_t h, struct loc *l)
{
	struct pk_bucket *bk, *prev = NULL;
	uint64_t links = 0;
	int bad = 0, rc = 0;

	memset(l, 0, sizeof(*l));
	if (m->nbuckets == 0)
		return corrupt("no buckets");
	bk = bucket(pool, m, home(h, m->nbuckets));
	if (bk == NULL)
		return corrupt("bad bucket");
	for (; bk != NULL; prev = bk, bk = next_bucket(pool, bk, &bad)) {
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++) {
			if (bk->hash[i] == h && slot_matches(pool,
						&bk->slot[i], k, &rc)) {
				l->bk = bk;
				l->i = i;
				l->prev = prev;
				return 0;
			}
			if (rc != 0)
				return rc;
			if (bk->hash[i] == 0 && l->free_bk == NULL) {
				l->free_bk = bk;
				l->free_i = i;
			}
		}
		l->last = bk;
		/* every overflow bucket holds an entry: longer is a loop */
		if (++links > m->count + 1)
			return corrupt("overflow chain loops");
	}
	return bad ? corrupt("bad overflow bucket") : PK_NOTFOUND;
}

/* place -- a free slot in the chain starting at bk, growing it if full */
static int
place(pk_pool *pool, struct pk_bucket *bk, int fresh, struct pk_bucket **out,
		unsigned *i_out, int *fresh_out)
{
	int bad = 0;

	for (;;) {
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++) {
			if (bk->hash[i] == 0) {
				*out = bk;
				*i_out = i;
				*fresh_out = fresh;
				return 0;
			}
		}
		if (bk->next == 0)
			break;
		bk = next_bucket(pool, bk, &bad);
		if (bk == NULL)
			return corrupt("bad overflow bucket");
	}
	uint64_t off;
	struct pk_bucket *o;
	int rc = new_overflow(pool, &off, &o);
	if (rc == 0 && !fresh)
		rc = pk__snap(&bk->next, sizeof(bk->next));
	if (rc != 0)
		return rc;
	bk->next = off;
	*out = o;
	*i_out = 0;
	*fresh_out = 1;
	return 0;
}

/* move_slot -- copy an entry into a free slot of the chain at dst */
static int
move_slot(pk_pool *pool, struct pk_bucket *dst, int fresh, uint64_t h,
		const struct pk_slot *s)
{
	struct pk_bucket *bk;
	unsigned i;
	int f, rc = place(pool, dst, fresh, &bk, &i, &f);

	if (rc == 0 && !f)
		rc = pk__snap(&bk->slot[i], sizeof(bk->slot[i]));
	if (rc == 0 && !f)
		rc = pk__snap(&bk->hash[i], sizeof(bk->hash[i]));
	if (rc != 0)
		return rc;
	memcpy(&bk->slot[i], s, sizeof(*s));
	bk->hash[i] = h;
	return 0;
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
	if (rc == 0)
		m->dir = off; /* the header range is already snapshotted */
	return rc;
}

/*
 * split -- linear hashing's split of bucket p into the new bucket n:
 * entries whose hash has bit `level` set move over.
 */
static int
split(pk_pool *pool, struct pk_map_hdr *m)
{
	uint64_t n = m->nbuckets, seg, idx;
	unsigned level = log2_floor(n);
	struct pk_bucket *src, *dst, *prev = NULL;
	int fresh = 0, bad = 0, rc;

	seg_of(n, &seg, &idx);
	if (idx == 0) {
		struct pk_mapdir *d = dir_get(pool, m);
		struct pk_segment *s;
		uint64_t off;

		if (d == NULL)
			return corrupt("bad directory");
		if (seg >= d->cap) {
			rc = dir_resize(pool, m, d->cap * 2);
			if (rc != 0)
				return rc;
			d = dir_get(pool, m);
		} else if ((rc = pk__snap(&d->seg[seg], 8)) != 0) {
			return rc;
		}
		rc = pk__alloc(pool, &off, seg_bytes(seg), PK_TN_SEGMENT, 0);
		if (rc != 0)
			return rc;
		s = (struct pk_segment *)(pool->base + off);
		s->magic = PK_MAGIC_SEGMENT;
		s->nbuckets = (uint32_t)seg_len(seg);
		memset(s->pad, 0, sizeof(s->pad));
		d->seg[seg] = off;
		fresh = 1;
	}
	dst = bucket(pool, m, n);
	src = bucket(pool, m, n - (1ULL << level));
	if (dst == NULL || src == NULL)
		return corrupt("bad bucket");
	if (!fresh && (rc = pk__snap(dst, sizeof(dst->hash) +
					sizeof(dst->next))) != 0)
		return rc;
	memset(dst->hash, 0, sizeof(dst->hash));
	dst->next = 0;

	for (struct pk_bucket *bk = src; bk != NULL; ) {
		struct pk_bucket *nx = next_bucket(pool, bk, &bad);
		int snapped = 0, live = 0;

		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++) {
			uint64_t h = bk->hash[i];
			if (h == 0)
				continue;
			if (!((h >> level) & 1)) {
				live++;
				continue;
			}
			rc = move_slot(pool, dst, fresh, h, &bk->slot[i]);
			if (rc == 0 && !snapped)
				rc = pk__snap(bk->hash, sizeof(bk->hash));
			if (rc != 0)
				return rc;
			snapped = 1;
			bk->hash[i] = 0;
		}
		if (live == 0 && bk != src) {
			/* an emptied overflow bucket: unlink and free it */
			uint64_t off = prev->next;
			rc = pk__snap(&prev->next, sizeof(prev->next));
			if (rc == 0)
				rc = pk__free(pool, off);
			if (rc != 0)
				return rc;
			prev->next = bk->next;
		} else {
			prev = bk;
		}
		bk = nx;
	}
	if (bad)
		return corrupt("bad overflow bucket");
	m->nbuckets = n + 1;
	return 0;
}

/* chain_free -- free the overflow buckets chained after bk */
static int
chain_free(pk_pool *pool, struct pk_bucket *bk)
{
	int bad = 0, rc;

	for (struct pk_bucket *o = next_bucket(pool, bk, &bad); o != NULL; ) {
		uint64_t off = bk->next;
		bk = o;
		o = next_bucket(pool, bk, &bad);
		if ((rc = pk__free(pool, off)) != 0)
			return rc;
	}
	return bad ? corrupt("bad overflow bucket") : 0;
}

/*
 * grow_chain -- append n empty overflow buckets to the chain at bk, all or
 * none: PK_ENOSPACE leaves the chain as it was
 */
static int
grow_chain(pk_pool *pool, struct pk_bucket *bk, unsigned n)
{
	uint64_t offs[4], first = 0;
	struct pk_bucket *o, *tail = NULL;
	unsigned i;
	int bad = 0, rc = 0;

	if (n > sizeof(offs) / sizeof(offs[0]))
		return PK_ENOSPACE; /* an unusual chain; merge it later */
	for (i = 0; i < n && rc == 0; i++) {
		rc = new_overflow(pool, &offs[i], &o);
		if (rc == 0 && tail != NULL)
			tail->next = offs[i];
		if (rc == 0 && first == 0)
			first = offs[i];
		tail = o;
	}
	if (rc != 0) {
		while (--i > 0)
			pk__free(pool, offs[i - 1]);
		return rc;
	}
	while (bk->next != 0)
		if ((bk = next_bucket(pool, bk, &bad)) == NULL)
			return corrupt("bad overflow bucket");
	if ((rc = pk__snap(&bk->next, sizeof(bk->next))) != 0)
		return rc;
	bk->next = first;
	return 0;
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
	struct pk_bucket *src, *dst, *bk;
	unsigned need = 0, room = 0;
	int bad = 0, rc;

	if (last == 0)
		return 0;
	src = bucket(pool, m, last);
	dst = bucket(pool, m, last - (1ULL << log2_floor(last)));
	if (src == NULL || dst == NULL)
		return corrupt("bad bucket");
	for (bk = src; bk != NULL; bk = next_bucket(pool, bk, &bad))
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++)
			need += bk->hash[i] != 0;
	for (bk = dst; bk != NULL; bk = next_bucket(pool, bk, &bad))
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++)
			room += bk->hash[i] == 0;
	if (bad)
		return corrupt("bad overflow bucket");
	if (need > room && (rc = grow_chain(pool, dst,
				(need - room + PK_BUCKET_SLOTS - 1) /
				PK_BUCKET_SLOTS)) != 0)
		return rc == PK_ENOSPACE ? 0 : rc;
	for (bk = src; bk != NULL; bk = next_bucket(pool, bk, &bad))
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++)
			if (bk->hash[i] != 0 && (rc = move_slot(pool, dst, 0,
					bk->hash[i], &bk->slot[i])) != 0)
				return rc;
	if ((rc = chain_free(pool, src)) != 0)
		return rc;
	m->nbuckets = last;
	seg_of(last, &seg, &idx);
	if (idx == 0) {
		struct pk_mapdir *d = dir_get(pool, m);
		if (d == NULL)
			return corrupt("bad directory");
		if ((rc = pk__snap(&d->seg[seg], 8)) != 0 ||
		    (rc = pk__free(pool, d->seg[seg])) != 0)
			return rc;
		d->seg[seg] = 0;
		if (d->cap > DIR_MIN && seg <= d->cap / 4)
			return dir_resize(pool, m, d->cap / 2);
	}
	return 0;
}

/* map_get -- the header of the map a handle refers to */
static inline int
map_get(struct pk_map_hdr **out, pk_map *map)
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
	return 0;
}

/*
 * release_all -- drop what every entry holds (blobs, references) and
 * free every bucket, segment and the directory
 */
static int
release_all(pk_pool *pool, struct pk_map_hdr *m, int keep_seg0)
{
	struct pk_mapdir *d = dir_get(pool, m);
	int bad = 0, rc;

	if (d == NULL)
		return corrupt("bad directory");
	for (uint64_t b = 0; b < m->nbuckets; b++) {
		struct pk_bucket *head = bucket(pool, m, b), *bk;
		if (head == NULL)
			return corrupt("bad bucket");
		for (bk = head; bk != NULL; bk = next_bucket(pool, bk, &bad))
			for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++)
				if (bk->hash[i] != 0 && (rc = pk__slot_release(
						pool, &bk->slot[i])) != 0)
					return rc;
		if (bad)
			return corrupt("bad overflow bucket");
		if ((rc = chain_free(pool, head)) != 0)
			return rc;
	}
	for (uint64_t s = keep_seg0 ? 1 : 0; s < d->cap && d->seg[s]; s++)
		if ((rc = pk__free(pool, d->seg[s])) != 0)
			return rc;
	return keep_seg0 ? 0 : pk__free(pool, m->dir);
}

/* pk__map_destroy -- free a map whose last reference went */
int
pk__map_destroy(pk_pool *pool, uint64_t off)
{
	struct pk_map_hdr *m = (struct pk_map_hdr *)(pool->base + off);
	int rc = release_all(pool, m, 0);

	if (rc == 0)
		rc = pk__snap(&m->h.magic, sizeof(m->h.magic));
	if (rc == 0) {
		m->h.magic = 0; /* handles to it are stale from now on */
		rc = pk__free(pool, off);
	}
	return rc;
}

int
pk_map_new(pk_map **out, pk_pool *pool)
{
	struct pk_op op;
	uint64_t off = 0;
	pk_map *map;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((map = malloc(sizeof(*map))) == NULL)
		return pk__err(ENOMEM, NULL);
	rc = pk__op_begin(&op, pool, 1);
	if (rc == 0)
		rc = pk__op_end(&op, pk__map_create(pool, &off));
	if (rc == 0)
		rc = pk__handle_init(&map->h, pool, off, PK_MAGIC_MAP);
	if (rc != 0) {
		free(map);
		return rc;
	}
	*out = map;
	return 0;
}

int
pk_map_open(pk_map **out, pk_pool *pool, const pk_value *val)
{
	pk_map *map;
	int rc;

	if (out == NULL || pool == NULL || val == NULL)
		return pk__err(EINVAL, "NULL argument");
	*out = NULL;
	if (pool->pop == NULL)
		return pk__err(PK_ECLOSED, NULL);
	if (val->type != PK_MAP)
		return pk__err(PK_EKIND, "the value is not a map");
	if ((map = malloc(sizeof(*map))) == NULL)
		return pk__err(ENOMEM, NULL);
	rc = pk__handle_init(&map->h, pool, val->u.ref.off, PK_MAGIC_MAP);
	if (rc == 0 && map->h.gen != val->u.ref.gen) {
		pk__pool_unref(pool);
		rc = pk__err(PK_ESTALE, NULL);
	}
	if (rc != 0) {
		free(map);
		return rc == PK_ECORRUPT ? pk__err(PK_ESTALE, NULL) : rc;
	}
	*out = map;
	return 0;
}

void
pk_map_close(pk_map *map)
{
	if (map == NULL)
		return;
	pk__pool_unref(map->h.pool);
	free(map);
}

pk_value
pk_map_value(const pk_map *map)
{
	pk_value v;

	v.type = PK_MAP;
	v.u.ref.off = map != NULL ? map->h.off : 0;
	v.u.ref.gen = map != NULL ? map->h.gen : 0;
	return v;
}

int
pk_map_put(pk_map *map, const pk_value *key, const pk_value *val)
{
	struct pk_map_hdr *m;
	struct pk_key k;
	struct loc l;
	struct pk_op op;
	uint64_t h;
	int rc;

	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = pk__value_check(val)) != 0 ||
	    (rc = map_get(&m, map)) != 0)
		return rc;
	if ((rc = pk__op_begin(&op, map->h.pool, 1)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	h = pk__key_hash(pool, &k) | HASH_TOP;
	rc = find(pool, m, &k, h, &l);
	if (rc == 0) {
		struct pk_slot *s = &l.bk->slot[l.i];
		rc = pk__snap(s, sizeof(*s));
		if (rc == 0)
			rc = pk__slot_set_value(pool, s, val);
		return pk__op_end(&op, rc);
	}
	if (rc != PK_NOTFOUND)
		return pk__op_end(&op, rc);

	struct pk_bucket *bk = l.free_bk;
	unsigned i = l.free_i;
	int fresh = 0;
	rc = 0;
	if (bk == NULL)
		rc = place(pool, l.last, 0, &bk, &i, &fresh);
	if (rc == 0 && !fresh)
		rc = pk__snap(&bk->slot[i], sizeof(bk->slot[i]));
	if (rc == 0 && !fresh)
		rc = pk__snap(&bk->hash[i], sizeof(bk->hash[i]));
	if (rc == 0)
		rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN);
	if (rc == 0)
		rc = pk__slot_write(pool, &bk->slot[i], key, val);
	if (rc == 0) {
		bk->hash[i] = h;
		m->count++;
		m->modcount++;
		if (m->count > LOAD_SPLIT * m->nbuckets)
			rc = split(pool, m);
	}
	return pk__op_end(&op, rc);
}

int
pk_map_get(pk_value *out, pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct pk_key k;
	struct loc l;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = map_get(&m, map)) != 0)
		return rc;
	rc = find(map->h.pool, m, &k,
			pk__key_hash(map->h.pool, &k) | HASH_TOP, &l);
	if (rc != 0)
		return rc;
	return pk__slot_value(map->h.pool, out, &l.bk->slot[l.i]);
}

int
pk_map_contains(int *out, pk_map *map, const pk_value *key)
{
	pk_value v;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	rc = pk_map_get(&v, map, key);
	*out = rc == 0;
	return rc == PK_NOTFOUND ? 0 : rc;
}

int
pk_map_remove(pk_map *map, const pk_value *key)
{
	struct pk_map_hdr *m;
	struct pk_slot gone;
	struct pk_key k;
	struct loc l;
	struct pk_op op;
	int rc;

	if ((rc = pk__key_make(&k, key)) != 0 ||
	    (rc = map_get(&m, map)) != 0)
		return rc;
	if ((rc = pk__op_begin(&op, map->h.pool, 1)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	rc = find(pool, m, &k, pk__key_hash(pool, &k) | HASH_TOP, &l);
	if (rc != 0)
		return pk__op_end(&op, rc);
	/* keep a copy: merging may reuse the slot before it is released */
	memcpy(&gone, &l.bk->slot[l.i], sizeof(gone));
	if ((rc = pk__snap(&l.bk->hash[l.i], 8)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0)
		return pk__op_end(&op, rc);
	l.bk->hash[l.i] = 0;
	m->count--;
	m->modcount++;
	if (l.prev != NULL) {
		/* an overflow bucket left empty goes back to the pool */
		int empty = 1;
		for (unsigned i = 0; i < PK_BUCKET_SLOTS; i++)
			empty &= l.bk->hash[i] == 0;
		if (empty) {
			uint64_t off = l.prev->next;
			rc = pk__snap(&l.prev->next, 8);
			if (rc == 0)
				rc = pk__free(pool, off);
			if (rc == 0)
				l.prev->next = l.bk->next;
		}
	}
	if (rc == 0 && m->nbuckets > 1 && m->count < LOAD_MERGE * m->nbuckets)
		rc = merge(pool, m);
	if (rc == 0)
		rc = pk__slot_release(pool, &gone);
	return pk__op_end(&op, rc);
}

int
pk_map_length(uint64_t *out, pk_map *map)
{
	struct pk_map_hdr *m;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = map_get(&m, map)) != 0)
		return rc;
	*out = m->count;
	return 0;
}

int
pk_map_clear(pk_map *map)
{
	struct pk_map_hdr *m;
	struct pk_mapdir *d;
	struct pk_bucket *b0;
	struct pk_op op;
	int rc;

	if ((rc = map_get(&m, map)) != 0)
		return rc;
	if ((rc = pk__op_begin(&op, map->h.pool, 1)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	/*
	 * Hold a reference while entries are released: one of them may hold
	 * the last other reference to this map.
	 */
	pk_value self = pk_map_value(map);
	if ((rc = pk__ref_acquire(pool, &self)) != 0 ||
	    (rc = release_all(pool, m, 1)) != 0)
		return pk__op_end(&op, rc);
	d = dir_get(pool, m);
	b0 = bucket(pool, m, 0);
	if (d == NULL || b0 == NULL)
		return pk__op_end(&op, corrupt("bad directory"));
	if ((rc = pk__snap(b0, sizeof(b0->hash) + sizeof(b0->next))) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN)) != 0 ||
	    (rc = pk__snap(d->seg, (size_t)d->cap * 8)) != 0)
		return pk__op_end(&op, rc);
	memset(b0->hash, 0, sizeof(b0->hash));
	b0->next = 0;
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

int
pk_map_cursor(pk_cursor **out, pk_map *map)
{
	struct pk_map_hdr *m;
	pk_cursor *c;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	*out = NULL;
	if ((rc = map_get(&m, map)) != 0)
		return rc;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return pk__err(ENOMEM, NULL);
	c->h = map->h;
	pk__pool_ref(c->h.pool);
	c->modcount = m->modcount;
	*out = c;
	return 0;
}

int
pk__map_cursor_next(pk_cursor *c, pk_value *key, pk_value *val)
{
	struct pk_map_hdr *m;
	pk_pool *pool = c->h.pool;
	int bad = 0, rc;

	if ((rc = pk__handle_get((void **)&m, &c->h)) != 0)
		return rc;
	if (m->modcount != c->modcount)
		return pk__err(PK_ECHANGED, NULL);
	for (; c->bucket < m->nbuckets; c->bucket++, c->chain = 0) {
		struct pk_bucket *bk = bucket(pool, m, c->bucket);
		for (uint64_t j = 0; bk != NULL && j < c->chain; j++)
			bk = next_bucket(pool, bk, &bad);
		if (bk == NULL || bad)
			return corrupt("bad bucket");
		for (;;) {
			for (; c->slot < PK_BUCKET_SLOTS; c->slot++) {
				if (bk->hash[c->slot] == 0)
					continue;
				struct pk_slot *s = &bk->slot[c->slot++];
				pk_value kv, vv;
				if ((rc = pk__slot_key(pool, &kv, s)) != 0 ||
				    (rc = pk__slot_value(pool, &vv, s)) != 0)
					return rc;
				if (key != NULL)
					*key = kv;
				if (val != NULL)
					*val = vv;
				return 0;
			}
			c->slot = 0;
			if (bk->next == 0)
				break;
			bk = next_bucket(pool, bk, &bad);
			if (bk == NULL)
				return corrupt("bad overflow bucket");
			c->chain++;
		}
	}
	return PK_ITEROVER;
}
