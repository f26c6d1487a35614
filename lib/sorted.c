/*
 * sorted.c -- the persistent sorted map: a B+-tree of counted nodes
 *
 * Leaves hold up to PK_SLEAF_SLOTS entries as map slots (slot.c), in key
 * order (order.c); inner nodes hold up to PK_SINNER_KIDS children, the
 * entries under each, and separator keys (layout.h). A full node splits
 * in two on insert; a node under a quarter full after a remove merges
 * with a sibling, or takes entries from it, so every operation changes
 * O(height) nodes. The counts give an entry's index in one descent, and
 * a cursor is an index range [from, end): any insert or remove makes it
 * report PK_ECHANGED, so its leaf, cached, stays valid between steps.
 * No leaf links its neighbours: nothing but its parent holds a node's
 * offset, so moving one (pk_pool_defrag()) rewrites one field.
 *
 * Crash atomicity: every change runs in a transaction (the caller's or
 * its own, tx.c) and snapshots each range before writing it (pk__snap),
 * but for nodes allocated in the same transaction. Moving a slot moves
 * what it owns (blobs, references) with it; a separator owns its own copy
 * of a key, written and released with it.
 *
 * Reads (get, contains, at, rank, seek) first run without locks (lock.h,
 * optimistic reads): every offset they follow is bounds-checked, every
 * count clamped and the depth bounded, as for damaged data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LCAP PK_SLEAF_SLOTS
#define ICAP PK_SINNER_KIDS
#define LMIN (LCAP / 4)
#define IMIN (ICAP / 4)
#define MAXH PK_SORTED_MAX_HEIGHT

/* the range of the header that inserts and removes change */
#define HDR_MUT_OFF offsetof(struct pk_sorted_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_sorted_hdr, leaf) - HDR_MUT_OFF)

static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "sorted map: %s", what);
}

/* sorted_hdr -- the header of the map a handle refers to */
static inline int
sorted_hdr(struct pk_sorted_hdr **out, pk_sorted *map)
{
	return pk__handle_get((void **)out, PK_HANDLE_OF(map));
}

/* ---- nodes ---- */

/* leaf_at, inner_at -- the node at off of that kind and level, its magic,
 * level and size checked (a damaged or half-written one gives NULL) */
static struct pk_sleaf *
leaf_at(pk_pool *pool, uint64_t off)
{
	struct pk_sleaf *l = pk__ptr(pool, off, sizeof(*l));

	if (l == NULL || l->hd.magic != PK_MAGIC_SLEAF || l->hd.level != 0 ||
	    l->hd.n > LCAP)
		return NULL;
	return l;
}

static struct pk_sinner *
inner_at(pk_pool *pool, uint64_t off, unsigned level)
{
	struct pk_sinner *i = pk__ptr(pool, off, sizeof(*i));

	if (i == NULL || i->hd.magic != PK_MAGIC_SINNER ||
	    i->hd.level != level || i->hd.n < 1 || i->hd.n > ICAP)
		return NULL;
	return i;
}

/* a node's entry count, read once (optimistic reads) and clamped */
static inline unsigned
node_n(const struct pk_snode *hd, unsigned cap)
{
	unsigned n = __atomic_load_n(&hd->n, __ATOMIC_RELAXED);
	return n > cap ? cap : n;
}

/* node_new -- allocate a zeroed node; the transaction frees it on abort */
static int
node_new(pk_pool *pool, uint64_t *off, int inner, unsigned level)
{
	struct pk_snode *hd;
	int rc = pk__alloc(pool, off, inner ? sizeof(struct pk_sinner) :
			sizeof(struct pk_sleaf), inner ? PK_TN_SINNER :
			PK_TN_SLEAF, 1);

	if (rc != 0)
		return rc;
	hd = (struct pk_snode *)(pool->base + *off);
	hd->magic = inner ? PK_MAGIC_SINNER : PK_MAGIC_SLEAF;
	hd->level = (uint16_t)level;
	return 0;
}

/* ---- keys ---- */

/* probe_make -- a key as lookups take it: canonical, not a frozen set */
static int
probe_make(struct pk_key *k, const pk_value *key)
{
	int rc = pk__key_make(k, key);

	if (rc == 0 && k->cls == PK_KC_FROZENSET)
		return pk__err(PK_EKEYTYPE, "a frozen set has no order: it "
				"cannot be a sorted map's key");
	return rc;
}

/* slot_cmp -- the order of key k against the key of slot s */
static int
slot_cmp(int *out, pk_pool *pool, const struct pk_key *k,
		const struct pk_slot *s)
{
	pk_value v;
	struct pk_key sk;
	uint8_t t = __atomic_load_n(&s->ktype, __ATOMIC_RELAXED);
	uint8_t len = __atomic_load_n(&s->klen, __ATOMIC_RELAXED);
	int rc;

	/* the common keys inline: ints, and bytes and strings */
	if (t == PK_INT && k->cls == PK_KC_INT && len == 8) {
		int64_t i;
		memcpy(&i, s->data, 8);
		*out = (k->i > i) - (k->i < i);
		return 0;
	}
	if ((t == PK_BYTES && k->cls == PK_KC_BYTES) ||
	    (t == PK_STRING && k->cls == PK_KC_STRING)) {
		if (len > PK_SLOT_DATA)
			return corrupt("bad key length");
		size_t n = k->len < len ? k->len : len;
		int c = n != 0 ? memcmp(k->ptr, s->data, n) : 0;
		*out = c != 0 ? (c > 0) - (c < 0) :
			(k->len > len) - (k->len < len);
		return 0;
	}
	if ((rc = pk__slot_key(pool, &v, s)) != 0)
		return rc;
	pk__key_canon(&sk, &v);
	*out = pk__key_order(k, &sk);
	return 0;
}

/*
 * prefetch_search -- the slots the first steps of a binary search over
 * [lo, hi) may look at (each slot a cache line of its own): loaded in
 * parallel instead of each after the comparison before it. Four steps
 * (15 of a node's 32 lines) took a get from a sorted map of 1M entries
 * from 1.27 to 0.97 us on this project's machine (/dev/shm), three 1.12.
 */
#ifndef PK_SEARCH_PREFETCH
#define PK_SEARCH_PREFETCH 4
#endif
static inline void
prefetch_search(const struct pk_slot *s, unsigned lo, unsigned hi, int steps)
{
	if (lo >= hi || steps == 0)
		return;
	unsigned mid = (lo + hi) / 2;
	__builtin_prefetch(&s[mid]);
	prefetch_search(s, lo, mid, steps - 1);
	prefetch_search(s, mid + 1, hi, steps - 1);
}

/* leaf_find -- the first slot of l whose key is not below k; *eq if it
 * is k */
static int
leaf_find(pk_pool *pool, const struct pk_sleaf *l, unsigned n,
		const struct pk_key *k, unsigned *pos, int *eq)
{
	unsigned lo = 0, hi = n;
	int c, rc;

	*eq = 0;
	prefetch_search(l->slot, lo, hi, PK_SEARCH_PREFETCH);
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if ((rc = slot_cmp(&c, pool, k, &l->slot[mid])) != 0)
			return rc;
		if (c > 0) {
			lo = mid + 1;
		} else {
			hi = mid;
			*eq = c == 0;
		}
	}
	*pos = lo;
	return 0;
}

/* inner_find -- the child of i that holds k if anything does: the number
 * of separators at or below k (a separator is the first key of the child
 * after it, or was: one whose key was removed still orders the two) */
static int
inner_find(pk_pool *pool, const struct pk_sinner *i, unsigned n,
		const struct pk_key *k, unsigned *kid)
{
	unsigned lo = 0, hi = n - 1;
	int c, rc;

	prefetch_search(i->sep, lo, hi, PK_SEARCH_PREFETCH);
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if ((rc = slot_cmp(&c, pool, k, &i->sep[mid])) != 0)
			return rc;
		if (c >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*kid = lo;
	return 0;
}

/* ---- descents ---- */

/*
 * A path from the root: at depth d < height - 1 the inner node off[d] and
 * the child idx[d] taken; at the leaf's depth the leaf and a slot index.
 * rank is the number of entries before that slot.
 */
struct path {
	uint64_t off[MAXH];
	unsigned idx[MAXH];
	unsigned depth;		/* the leaf's: height - 1 */
	uint64_t rank;
};

static int
check_height(const struct pk_sorted_hdr *m, unsigned *h)
{
	uint64_t height = __atomic_load_n(&m->height, __ATOMIC_RELAXED);

	if (height > MAXH || (height == 0) !=
			(__atomic_load_n(&m->root, __ATOMIC_RELAXED) == 0))
		return corrupt("bad height");
	*h = (unsigned)height;
	return 0;
}

/*
 * descend_key -- the path to where k is or would be; *eq if it is there.
 * how: DESCEND_AFTER to just after the keys equal to k, DESCEND_RANK to
 * sum the path's rank (which reads every count left of it). The map is
 * not empty.
 */
#define DESCEND_AFTER 1
#define DESCEND_RANK 2
static int
descend_key(pk_pool *pool, const struct pk_sorted_hdr *m,
		const struct pk_key *k, int how, struct path *p, int *eq)
{
	uint64_t off = __atomic_load_n(&m->root, __ATOMIC_RELAXED);
	unsigned h, d;
	int rc;

	if ((rc = check_height(m, &h)) != 0)
		return rc;
	p->depth = h - 1;
	p->rank = 0;
	for (d = 0; d + 1 < h; d++) {
		struct pk_sinner *in = inner_at(pool, off, h - 1 - d);
		unsigned kid;
		if (in == NULL)
			return corrupt("bad inner node");
		unsigned n = node_n(&in->hd, ICAP);
		if ((rc = inner_find(pool, in, n, k, &kid)) != 0)
			return rc;
		for (unsigned j = 0; (how & DESCEND_RANK) && j < kid; j++)
			p->rank += in->cnt[j];
		p->off[d] = off;
		p->idx[d] = kid;
		off = __atomic_load_n(&in->kid[kid], __ATOMIC_RELAXED);
	}
	struct pk_sleaf *l = leaf_at(pool, off);
	if (l == NULL)
		return corrupt("bad leaf");
	unsigned n = node_n(&l->hd, LCAP), pos;
	if ((rc = leaf_find(pool, l, n, k, &pos, eq)) != 0)
		return rc;
	if ((how & DESCEND_AFTER) && *eq)
		pos++;
	p->off[d] = off;
	p->idx[d] = pos;
	p->rank += pos;
	return 0;
}

/* descend_rank -- the path to the entry of index r < count */
static int
descend_rank(pk_pool *pool, const struct pk_sorted_hdr *m, uint64_t r,
		struct path *p)
{
	uint64_t off = __atomic_load_n(&m->root, __ATOMIC_RELAXED);
	unsigned h, d;
	int rc;

	if ((rc = check_height(m, &h)) != 0)
		return rc;
	if (h == 0)
		return corrupt("index past an empty map");
	p->depth = h - 1;
	p->rank = r;
	for (d = 0; d + 1 < h; d++) {
		struct pk_sinner *in = inner_at(pool, off, h - 1 - d);
		unsigned n, j;
		if (in == NULL)
			return corrupt("bad inner node");
		n = node_n(&in->hd, ICAP);
		for (j = 0; j + 1 < n && r >= in->cnt[j]; j++)
			r -= in->cnt[j];
		if (r >= in->cnt[j])
			return corrupt("counts below the map's count");
		p->off[d] = off;
		p->idx[d] = j;
		off = __atomic_load_n(&in->kid[j], __ATOMIC_RELAXED);
	}
	struct pk_sleaf *l = leaf_at(pool, off);
	if (l == NULL || r >= node_n(&l->hd, LCAP))
		return corrupt("bad leaf");
	p->off[d] = off;
	p->idx[d] = (unsigned)r;
	return 0;
}

/* path_leaf -- the leaf a path ends at (checked by the descent) */
static inline struct pk_sleaf *
path_leaf(pk_pool *pool, const struct path *p)
{
	return (struct pk_sleaf *)(pool->base + p->off[p->depth]);
}

static inline struct pk_sinner *
path_inner(pk_pool *pool, const struct path *p, unsigned d)
{
	return (struct pk_sinner *)(pool->base + p->off[d]);
}

/* ---- changes (in a transaction) ---- */

/* counts_add -- add delta to the counts on the path above depth d */
static int
counts_add(pk_pool *pool, const struct path *p, unsigned d, int delta)
{
	int rc;

	for (unsigned i = 0; i < d; i++) {
		uint64_t *c = &path_inner(pool, p, i)->cnt[p->idx[i]];
		if ((rc = pk__snap(c, sizeof(*c))) != 0)
			return rc;
		*c += (uint64_t)(int64_t)delta;
	}
	return 0;
}

static int
hdr_count(struct pk_sorted_hdr *m, int delta)
{
	int rc = pk__snap((char *)m + HDR_MUT_OFF, HDR_MUT_LEN);

	if (rc != 0)
		return rc;
	m->count += (uint64_t)(int64_t)delta;
	m->modcount++;
	return 0;
}

/* sep_write -- a separator slot: the key of slot s, copied */
static int
sep_write(pk_pool *pool, struct pk_slot *sep, const struct pk_slot *s)
{
	pk_value k, nil = pk_nil();
	int rc = pk__slot_key(pool, &k, s);

	if (rc != 0)
		return rc;
	memset(sep, 0, sizeof(*sep));
	return pk__slot_write(pool, sep, &k, &nil);
}

static void
sums(const uint64_t *c, unsigned n, uint64_t *out)
{
	*out = 0;
	for (unsigned i = 0; i < n; i++)
		*out += c[i];
}

/*
 * add_child -- after the child at p->idx[d] of the inner node at depth d
 * split, put the new right half (off, with rcnt entries; the left keeps
 * lcnt) after it, with separator sep (owned: moved in). d < 0: the root
 * split, and a new root holds the two.
 */
static int
add_child(pk_pool *pool, struct pk_sorted_hdr *m, const struct path *p,
		int d, uint64_t off, uint64_t lcnt, uint64_t rcnt,
		const struct pk_slot *sep)
{
	struct pk_sinner *in, *r;
	uint64_t roff;
	int rc;

	if (d < 0) {
		if (m->height >= MAXH)
			return pk__err(PK_ENOSPACE, "sorted map: tree of "
					"height %d", MAXH);
		if ((rc = node_new(pool, &roff, 1, (unsigned)m->height)) != 0)
			return rc;
		in = (struct pk_sinner *)(pool->base + roff);
		in->hd.n = 2;
		in->kid[0] = m->root;
		in->kid[1] = off;
		in->cnt[0] = lcnt;
		in->cnt[1] = rcnt;
		in->sep[0] = *sep;
		if ((rc = pk__snap(&m->root, 2 * sizeof(m->root))) != 0)
			return rc;
		m->root = roff;
		m->height++;
		return 0;
	}
	in = path_inner(pool, p, (unsigned)d);
	unsigned n = in->hd.n, at = p->idx[d];
	if (n < ICAP) {
		if ((rc = pk__snap(&in->hd, sizeof(in->hd))) != 0 ||
		    (rc = pk__snap(&in->kid[at + 1], (n - at) * 8)) != 0 ||
		    (rc = pk__snap(&in->cnt[at], (n - at + 1) * 8)) != 0 ||
		    (rc = pk__snap(&in->sep[at], (n - at) *
				    sizeof(in->sep[0]))) != 0)
			return rc;
		memmove(&in->kid[at + 2], &in->kid[at + 1], (n - at - 1) * 8);
		memmove(&in->cnt[at + 2], &in->cnt[at + 1], (n - at - 1) * 8);
		memmove(&in->sep[at + 1], &in->sep[at], (n - at - 1) *
				sizeof(in->sep[0]));
		in->kid[at + 1] = off;
		in->cnt[at] = lcnt;
		in->cnt[at + 1] = rcnt;
		in->sep[at] = *sep;
		in->hd.n = (uint16_t)(n + 1);
		return counts_add(pool, p, (unsigned)d, 1);
	}
	/* full: the ICAP + 1 children in order, split in two */
	uint64_t kid[ICAP + 1], cnt[ICAP + 1], ls, rs;
	struct pk_slot sp[ICAP];
	unsigned nl = (ICAP + 1) / 2, nr = ICAP + 1 - nl;

	memcpy(kid, in->kid, (at + 1) * 8);
	memcpy(cnt, in->cnt, (at + 1) * 8);
	memcpy(sp, in->sep, at * sizeof(sp[0]));
	kid[at + 1] = off;
	cnt[at] = lcnt;
	cnt[at + 1] = rcnt;
	sp[at] = *sep;
	memcpy(&kid[at + 2], &in->kid[at + 1], (n - at - 1) * 8);
	memcpy(&cnt[at + 2], &in->cnt[at + 1], (n - at - 1) * 8);
	memcpy(&sp[at + 1], &in->sep[at], (n - at - 1) * sizeof(sp[0]));
	if ((rc = node_new(pool, &roff, 1, in->hd.level)) != 0 ||
	    (rc = pk__snap(in, sizeof(*in))) != 0)
		return rc;
	r = (struct pk_sinner *)(pool->base + roff);
	memset(&in->kid, 0, sizeof(*in) - offsetof(struct pk_sinner, kid));
	memcpy(in->kid, kid, nl * 8);
	memcpy(in->cnt, cnt, nl * 8);
	memcpy(in->sep, sp, (nl - 1) * sizeof(sp[0]));
	in->hd.n = (uint16_t)nl;
	memcpy(r->kid, &kid[nl], nr * 8);
	memcpy(r->cnt, &cnt[nl], nr * 8);
	memcpy(r->sep, &sp[nl], (nr - 1) * sizeof(sp[0]));
	r->hd.n = (uint16_t)nr;
	sums(in->cnt, nl, &ls);
	sums(r->cnt, nr, &rs);
	/* sp[nl - 1] moves up between the halves */
	return add_child(pool, m, p, d - 1, roff, ls, rs, &sp[nl - 1]);
}

/* leaf_insert -- put a new entry at the path's slot */
static int
leaf_insert(pk_pool *pool, struct pk_sorted_hdr *m, const struct path *p,
		const pk_value *key, const pk_value *val)
{
	struct pk_sleaf *l = path_leaf(pool, p), *r;
	unsigned n = l->hd.n, at = p->idx[p->depth];
	struct pk_slot tmp[LCAP + 1], sep;
	uint64_t roff;
	int rc;

	if ((rc = hdr_count(m, 1)) != 0)
		return rc;
	if (n < LCAP) {
		if ((rc = pk__snap(&l->hd, sizeof(l->hd))) != 0 ||
		    (rc = pk__snap(&l->slot[at], (n - at + 1) *
				    sizeof(l->slot[0]))) != 0)
			return rc;
		memmove(&l->slot[at + 1], &l->slot[at], (n - at) *
				sizeof(l->slot[0]));
		memset(&l->slot[at], 0, sizeof(l->slot[0]));
		if ((rc = pk__slot_write(pool, &l->slot[at], key, val)) != 0)
			return rc;
		l->hd.n = (uint16_t)(n + 1);
		return counts_add(pool, p, p->depth, 1);
	}
	/* full: the LCAP + 1 entries in order, split in two */
	unsigned nl = (LCAP + 1) / 2, nr = LCAP + 1 - nl;
	memcpy(tmp, l->slot, at * sizeof(tmp[0]));
	memset(&tmp[at], 0, sizeof(tmp[0]));
	if ((rc = pk__slot_write(pool, &tmp[at], key, val)) != 0)
		return rc;
	memcpy(&tmp[at + 1], &l->slot[at], (n - at) * sizeof(tmp[0]));
	if ((rc = node_new(pool, &roff, 0, 0)) != 0 ||
	    (rc = pk__snap(l, sizeof(*l))) != 0)
		return rc;
	r = (struct pk_sleaf *)(pool->base + roff);
	memset(l->slot, 0, sizeof(l->slot));
	memcpy(l->slot, tmp, nl * sizeof(tmp[0]));
	l->hd.n = (uint16_t)nl;
	memcpy(r->slot, &tmp[nl], nr * sizeof(tmp[0]));
	r->hd.n = (uint16_t)nr;
	if ((rc = sep_write(pool, &sep, &r->slot[0])) != 0)
		return rc;
	return add_child(pool, m, p, (int)p->depth - 1, roff, nl, nr, &sep);
}

/* free_node -- give a node emptied by a merge back to the pool */
static int
free_node(pk_pool *pool, uint64_t off)
{
	return pk__free(pool, off);
}

/*
 * rebalance -- the node at depth d (> 0) of the path fell under a quarter
 * full: merge it with a sibling when both fit one node, else even the two
 * out; a merge takes a child from the parent, which may then need the
 * same, and a root left with one child gives way to it
 */
static int
rebalance(pk_pool *pool, struct pk_sorted_hdr *m, const struct path *p,
		unsigned d)
{
	struct pk_sinner *par = path_inner(pool, p, d - 1);
	unsigned pn = par->hd.n, j = p->idx[d - 1];
	int leaf = d == p->depth, rc;

	if (pn < 2)
		return corrupt("inner node of one child");
	if (j > 0)
		j--;	/* the pair (j, j + 1) */
	uint64_t aoff = par->kid[j], boff = par->kid[j + 1];
	uint64_t total;

	if (leaf) {
		struct pk_sleaf *a = leaf_at(pool, aoff), *b = leaf_at(pool,
				boff);
		if (a == NULL || b == NULL)
			return corrupt("bad leaf");
		unsigned an = a->hd.n, bn = b->hd.n;
		total = an + bn;
		if (total <= LCAP) {
			if ((rc = pk__snap(&a->hd, sizeof(a->hd))) != 0 ||
			    (rc = pk__snap(&a->slot[an], bn *
					    sizeof(a->slot[0]))) != 0 ||
			    (rc = pk__slot_release(pool, &par->sep[j])) != 0)
				return rc;
			memcpy(&a->slot[an], b->slot, bn * sizeof(b->slot[0]));
			a->hd.n = (uint16_t)total;
			goto merged;
		}
		struct pk_slot tmp[2 * LCAP];
		unsigned na = (unsigned)total / 2;
		memcpy(tmp, a->slot, an * sizeof(tmp[0]));
		memcpy(&tmp[an], b->slot, bn * sizeof(tmp[0]));
		if ((rc = pk__snap(a, sizeof(*a))) != 0 ||
		    (rc = pk__snap(b, sizeof(*b))) != 0 ||
		    (rc = pk__snap(&par->sep[j], sizeof(par->sep[j]))) != 0 ||
		    (rc = pk__snap(&par->cnt[j], 2 * 8)) != 0 ||
		    (rc = pk__slot_release(pool, &par->sep[j])) != 0)
			return rc;
		memset(a->slot, 0, sizeof(a->slot));
		memset(b->slot, 0, sizeof(b->slot));
		memcpy(a->slot, tmp, na * sizeof(tmp[0]));
		memcpy(b->slot, &tmp[na], (total - na) * sizeof(tmp[0]));
		a->hd.n = (uint16_t)na;
		b->hd.n = (uint16_t)(total - na);
		par->cnt[j] = na;
		par->cnt[j + 1] = total - na;
		return sep_write(pool, &par->sep[j], &b->slot[0]);
	}
	unsigned level = path_inner(pool, p, d)->hd.level;
	struct pk_sinner *a = inner_at(pool, aoff, level), *b = inner_at(pool,
			boff, level);
	if (a == NULL || b == NULL)
		return corrupt("bad inner node");
	unsigned an = a->hd.n, bn = b->hd.n, tn = an + bn;
	uint64_t kid[2 * ICAP], cnt[2 * ICAP];
	struct pk_slot sp[2 * ICAP];
	/* the children of both in order, the parent's separator between */
	memcpy(kid, a->kid, an * 8);
	memcpy(&kid[an], b->kid, bn * 8);
	memcpy(cnt, a->cnt, an * 8);
	memcpy(&cnt[an], b->cnt, bn * 8);
	memcpy(sp, a->sep, (an - 1) * sizeof(sp[0]));
	sp[an - 1] = par->sep[j];
	memcpy(&sp[an], b->sep, (bn - 1) * sizeof(sp[0]));
	sums(cnt, tn, &total);
	if (tn <= ICAP) {
		if ((rc = pk__snap(a, sizeof(*a))) != 0)
			return rc;
		memcpy(a->kid, kid, tn * 8);
		memcpy(a->cnt, cnt, tn * 8);
		memcpy(a->sep, sp, (tn - 1) * sizeof(sp[0]));
		a->hd.n = (uint16_t)tn;
		goto merged;	/* the parent's separator moved down */
	}
	unsigned na = tn / 2;
	uint64_t ac, bc;
	if ((rc = pk__snap(a, sizeof(*a))) != 0 ||
	    (rc = pk__snap(b, sizeof(*b))) != 0 ||
	    (rc = pk__snap(&par->sep[j], sizeof(par->sep[j]))) != 0 ||
	    (rc = pk__snap(&par->cnt[j], 2 * 8)) != 0)
		return rc;
	memset(&a->kid, 0, sizeof(*a) - offsetof(struct pk_sinner, kid));
	memset(&b->kid, 0, sizeof(*b) - offsetof(struct pk_sinner, kid));
	memcpy(a->kid, kid, na * 8);
	memcpy(a->cnt, cnt, na * 8);
	memcpy(a->sep, sp, (na - 1) * sizeof(sp[0]));
	a->hd.n = (uint16_t)na;
	memcpy(b->kid, &kid[na], (tn - na) * 8);
	memcpy(b->cnt, &cnt[na], (tn - na) * 8);
	memcpy(b->sep, &sp[na], (tn - na - 1) * sizeof(sp[0]));
	b->hd.n = (uint16_t)(tn - na);
	par->sep[j] = sp[na - 1];	/* moves up */
	sums(a->cnt, na, &ac);
	sums(b->cnt, tn - na, &bc);
	par->cnt[j] = ac;
	par->cnt[j + 1] = bc;
	return 0;

merged:
	/* b's entries are in a: take b and separator j from the parent */
	if ((rc = pk__snap(&par->hd, sizeof(par->hd))) != 0 ||
	    (rc = pk__snap(&par->kid[j + 1], (pn - j - 1) * 8)) != 0 ||
	    (rc = pk__snap(&par->cnt[j], (pn - j) * 8)) != 0 ||
	    (rc = pk__snap(&par->sep[j], (pn - j - 1) *
			    sizeof(par->sep[0]))) != 0)
		return rc;
	memmove(&par->kid[j + 1], &par->kid[j + 2], (pn - j - 2) * 8);
	memmove(&par->cnt[j + 1], &par->cnt[j + 2], (pn - j - 2) * 8);
	memmove(&par->sep[j], &par->sep[j + 1], (pn - j - 2) *
			sizeof(par->sep[0]));
	par->kid[pn - 1] = 0;
	par->cnt[pn - 1] = 0;
	memset(&par->sep[pn - 2], 0, sizeof(par->sep[0]));
	par->cnt[j] = total;
	par->hd.n = (uint16_t)(pn - 1);
	if ((rc = free_node(pool, boff)) != 0)
		return rc;
	if (d - 1 == 0) {
		if (par->hd.n > 1)
			return 0;
		/* the root keeps one child: that child is the root */
		if ((rc = pk__snap(&m->root, 2 * sizeof(m->root))) != 0)
			return rc;
		m->root = par->kid[0];
		m->height--;
		return free_node(pool, p->off[0]);
	}
	if (par->hd.n < IMIN)
		return rebalance(pool, m, p, d - 1);
	return 0;
}

/* remove_at_path -- remove the entry a path ends at */
static int
remove_at_path(pk_pool *pool, struct pk_sorted_hdr *m, const struct path *p)
{
	struct pk_sleaf *l = path_leaf(pool, p);
	unsigned n = l->hd.n, at = p->idx[p->depth];
	struct pk_slot gone;
	int rc;

	if (at >= n)
		return corrupt("remove past a leaf's entries");
	/* released last: a merge may move slots over it first */
	gone = l->slot[at];
	if ((rc = pk__ref_drop_check(gone.vtype)) != 0 ||
	    (rc = hdr_count(m, -1)) != 0 ||
	    (rc = pk__snap(&l->hd, sizeof(l->hd))) != 0 ||
	    (rc = pk__snap(&l->slot[at], (n - at) * sizeof(l->slot[0]))) != 0)
		return rc;
	memmove(&l->slot[at], &l->slot[at + 1], (n - at - 1) *
			sizeof(l->slot[0]));
	memset(&l->slot[n - 1], 0, sizeof(l->slot[0]));
	l->hd.n = (uint16_t)(n - 1);
	if ((rc = counts_add(pool, p, p->depth, -1)) != 0)
		return rc;
	if (p->depth == 0 && n == 1) {
		/* the last entry: the map has no node */
		if ((rc = pk__snap(&m->root, 2 * sizeof(m->root))) != 0 ||
		    (rc = free_node(pool, m->root)) != 0)
			return rc;
		m->root = 0;
		m->height = 0;
	} else if (p->depth > 0 && n - 1 < LMIN &&
			(rc = rebalance(pool, m, p, p->depth)) != 0) {
		return rc;
	}
	return pk__slot_release(pool, &gone);
}

/* ---- the operations ---- */

static int
sorted_put(pk_sorted *map, const pk_value *key, const pk_value *val)
{
	struct pk_sorted_hdr *m;
	struct pk_key k;
	struct path p;
	struct pk_op op;
	int eq = 0, rc;

	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&k, key)) != 0 ||
	    (rc = pk__value_check_in(map->h.pool, val)) != 0)
		return rc;
	pk_pool *pool = map->h.pool;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if ((rc = pk__leaf_unset(&m->leaf, val, 1)) != 0)
		return pk__op_end(&op, rc);
	if (m->root == 0) {
		uint64_t off;
		if ((rc = node_new(pool, &off, 0, 0)) != 0 ||
		    (rc = pk__snap(&m->root, 2 * sizeof(m->root))) != 0)
			return pk__op_end(&op, rc);
		m->root = off;
		m->height = 1;
	}
	if ((rc = descend_key(pool, m, &k, 0, &p, &eq)) != 0)
		return pk__op_end(&op, rc);
	if (eq) {
		struct pk_slot *s = &path_leaf(pool, &p)->slot[p.idx[p.depth]];
		if ((rc = pk__ref_drop_check(s->vtype)) == 0 &&
		    (rc = pk__snap(s, sizeof(*s))) == 0)
			rc = pk__slot_set_value(pool, s, val);
		return pk__op_end(&op, rc);
	}
	return pk__op_end(&op, leaf_insert(pool, m, &p, key, val));
}

static int
sorted_remove(pk_sorted *map, const pk_value *key)
{
	struct pk_sorted_hdr *m;
	struct pk_key k;
	struct path p;
	struct pk_op op;
	int eq = 0, rc;

	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&k, key)) != 0)
		return rc;
	if (m->root == 0)
		return PK_NOTFOUND;
	pk_pool *pool = map->h.pool;
	if ((rc = descend_key(pool, m, &k, 0, &p, &eq)) != 0)
		return rc;
	if (!eq)
		return PK_NOTFOUND;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, remove_at_path(pool, m, &p));
}

/* norm_index -- a Python-style index into [0, count), or PK_ERANGE */
static int
norm_index(uint64_t *out, uint64_t count, int64_t index)
{
	if (index < 0) {
		uint64_t back = (uint64_t)(-(index + 1)) + 1;
		if (back > count)
			return pk__err(PK_ERANGE, "index %lld of %llu entries",
					(long long)index,
					(unsigned long long)count);
		*out = count - back;
		return 0;
	}
	if ((uint64_t)index >= count)
		return pk__err(PK_ERANGE, "index %lld of %llu entries",
				(long long)index, (unsigned long long)count);
	*out = (uint64_t)index;
	return 0;
}

/* entry_out -- the key and value of a slot */
static int
entry_out(pk_pool *pool, const struct pk_slot *s, pk_value *key,
		pk_value *val)
{
	int rc = 0;

	if (key != NULL)
		rc = pk__slot_key(pool, key, s);
	if (rc == 0 && val != NULL)
		rc = pk__slot_value(pool, val, s);
	return rc;
}

static int
sorted_at(pk_sorted *map, pk_value *key, pk_value *val, int64_t index)
{
	struct pk_sorted_hdr *m;
	struct path p;
	uint64_t r;
	int rc;

	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = norm_index(&r, __atomic_load_n(&m->count,
			    __ATOMIC_RELAXED), index)) != 0 ||
	    (rc = descend_rank(map->h.pool, m, r, &p)) != 0)
		return rc;
	return entry_out(map->h.pool, &path_leaf(map->h.pool,
				&p)->slot[p.idx[p.depth]], key, val);
}

/* rank_of -- the entries below k (after: at or below) */
static int
rank_of(pk_pool *pool, const struct pk_sorted_hdr *m, const struct pk_key *k,
		int after, uint64_t *out)
{
	struct path p;
	int eq, rc;

	if (__atomic_load_n(&m->root, __ATOMIC_RELAXED) == 0) {
		*out = 0;
		return 0;
	}
	if ((rc = descend_key(pool, m, k, DESCEND_RANK |
			(after ? DESCEND_AFTER : 0), &p, &eq)) != 0)
		return rc;
	*out = p.rank;
	return 0;
}

static int
sorted_get(pk_sorted *map, pk_value *out, int *found, const pk_value *key)
{
	struct pk_sorted_hdr *m;
	struct pk_key k;
	struct path p;
	int eq = 0, rc;

	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&k, key)) != 0)
		return rc;
	if (__atomic_load_n(&m->root, __ATOMIC_RELAXED) != 0 &&
	    (rc = descend_key(map->h.pool, m, &k, 0, &p, &eq)) != 0)
		return rc;
	if (found != NULL)
		*found = eq;
	if (out == NULL)
		return 0;
	if (!eq)
		return PK_NOTFOUND;
	return pk__slot_value(map->h.pool, out, &path_leaf(map->h.pool,
				&p)->slot[p.idx[p.depth]]);
}

static int
sorted_seek(pk_sorted *map, pk_value *key, pk_value *val,
		const pk_value *probe, int how)
{
	struct pk_sorted_hdr *m;
	struct pk_key k;
	struct path p;
	uint64_t r, count;
	int rc;

	if (how < PK_SEEK_GE || how > PK_SEEK_LT)
		return pk__err(EINVAL, "seek how %d", how);
	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = probe_make(&k, probe)) != 0 ||
	    /* GE, LT: the keys below; GT, LE: the keys at or below */
	    (rc = rank_of(map->h.pool, m, &k, how == PK_SEEK_GT ||
			    how == PK_SEEK_LE, &r)) != 0)
		return rc;
	count = __atomic_load_n(&m->count, __ATOMIC_RELAXED);
	if (how == PK_SEEK_LE || how == PK_SEEK_LT) {
		if (r == 0)
			return PK_NOTFOUND;
		r--;
	} else if (r >= count) {
		return PK_NOTFOUND;
	}
	if ((rc = descend_rank(map->h.pool, m, r, &p)) != 0)
		return rc;
	return entry_out(map->h.pool, &path_leaf(map->h.pool,
				&p)->slot[p.idx[p.depth]], key, val);
}

/*
 * prefix_end -- the least key after every key of prefix's type that
 * starts with its bytes: the prefix with its trailing 0xFF bytes dropped
 * and its last byte then raised by one, into buf; if it is all 0xFF, the
 * first key of the next class (the empty string after bytes). Strings
 * order as their UTF-8 bytes, so the same serves them: the key is only
 * compared, never stored, and need not be valid UTF-8.
 */
static void
prefix_end(struct pk_key *end, const struct pk_key *pre, uint8_t *buf)
{
	size_t n = pre->len;

	memcpy(buf, pre->ptr, n);
	while (n > 0 && buf[n - 1] == 0xFF)
		n--;
	end->cls = pre->cls;
	end->ptr = buf;
	end->len = n;
	if (n > 0) {
		buf[n - 1]++;
		return;
	}
	end->cls = pre->cls == PK_KC_BYTES ? PK_KC_STRING : PK_KC_TUPLE;
	end->len = 0;
}

/* range_ranks -- the indexes [*from, *end) of the entries in a range */
static int
range_ranks(pk_pool *pool, const struct pk_sorted_hdr *m,
		const pk_sorted_range *rg, uint64_t *from, uint64_t *end)
{
	struct pk_key k;
	uint64_t r;
	int rc;

	*from = 0;
	*end = m->count;
	if (rg == NULL)
		return 0;
	if (rg->lo != NULL) {
		if ((rc = probe_make(&k, rg->lo)) != 0 ||
		    (rc = rank_of(pool, m, &k, rg->lo_open, &r)) != 0)
			return rc;
		*from = r;
	}
	if (rg->hi != NULL) {
		if ((rc = probe_make(&k, rg->hi)) != 0 ||
		    (rc = rank_of(pool, m, &k, !rg->hi_open, &r)) != 0)
			return rc;
		if (r < *end)
			*end = r;
	}
	if (rg->prefix != NULL) {
		struct pk_key e;
		uint8_t *buf;
		if ((rg->prefix->type != PK_BYTES &&
		     rg->prefix->type != PK_STRING))
			return pk__err(PK_EKEYTYPE, "a prefix is bytes or a "
					"string");
		if ((rc = probe_make(&k, rg->prefix)) != 0 ||
		    (rc = rank_of(pool, m, &k, 0, &r)) != 0)
			return rc;
		if (r > *from)
			*from = r;
		if ((buf = malloc(k.len + 1)) == NULL)
			return pk__err(ENOMEM, NULL);
		prefix_end(&e, &k, buf);
		rc = rank_of(pool, m, &e, 0, &r);
		free(buf);
		if (rc != 0)
			return rc;
		if (r < *end)
			*end = r;
	}
	if (*end < *from)
		*end = *from;
	return 0;
}

static int
sorted_remove_range(pk_sorted *map, uint64_t *removed,
		const pk_sorted_range *rg)
{
	struct pk_sorted_hdr *m;
	struct pk_op op;
	struct path p;
	uint64_t from, end, i;
	int rc;

	if (removed != NULL)
		*removed = 0;
	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = range_ranks(map->h.pool, m, rg, &from, &end)) != 0)
		return rc;
	if (from == end)
		return 0;
	pk_pool *pool = map->h.pool;
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	for (i = from; i < end && rc == 0; i++)
		if ((rc = descend_rank(pool, m, from, &p)) == 0)
			rc = remove_at_path(pool, m, &p);
	if ((rc = pk__op_end(&op, rc)) == 0 && removed != NULL)
		*removed = end - from;
	return rc;
}

static int
sorted_remove_at(pk_sorted *map, int64_t index)
{
	struct pk_sorted_hdr *m;
	struct pk_op op;
	struct path p;
	uint64_t r;
	int rc;

	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = norm_index(&r, m->count, index)) != 0 ||
	    (rc = descend_rank(map->h.pool, m, r, &p)) != 0 ||
	    (rc = pk__op_begin(&op, map->h.pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, remove_at_path(map->h.pool, m, &p));
}

/* ---- cursors ---- */

/* range_cursor -- a cursor over a range (handle.c's made, then bounded) */
static int
range_cursor(pk_cursor **out, pk_sorted *map, const pk_sorted_range *rg)
{
	struct pk_sorted_hdr *m;
	uint64_t from, end;
	int rc;

	if ((rc = pk__cursor_make(out, PK_HANDLE_OF(map),
			&pk__sorted_kind)) != 0)
		return rc;
	if ((rc = sorted_hdr(&m, map)) != 0 ||
	    (rc = range_ranks(map->h.pool, m, rg, &from, &end)) != 0) {
		pk_cursor_free(*out);
		*out = NULL;
		return rc;
	}
	(*out)->reverse = rg != NULL && rg->reverse;
	(*out)->index = (*out)->reverse ? end : from;
	(*out)->end = (*out)->reverse ? from : end;
	return 0;
}

/*
 * sorted_cursor_next -- the entry of the next index; the leaf that holds
 * it is cached (at: its offset, passed: the index of its first entry),
 * valid while the modcount is
 */
static int
sorted_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_sorted_hdr *m;
	pk_pool *pool = cur->h.pool;
	struct pk_sleaf *l;
	uint64_t r;
	int rc;

	if ((rc = pk__handle_get((void **)&m, &cur->h)) != 0)
		return rc;
	if (m->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	if (cur->index == cur->end)
		return PK_ITEROVER;
	r = cur->reverse ? cur->index - 1 : cur->index;
	l = cur->at != 0 ? leaf_at(pool, cur->at) : NULL;
	if (l == NULL || r < cur->passed || r - cur->passed >= l->hd.n) {
		struct path p;
		if (r >= m->count)
			return corrupt("cursor past the map's count");
		if ((rc = descend_rank(pool, m, r, &p)) != 0)
			return rc;
		cur->at = p.off[p.depth];
		cur->passed = r - p.idx[p.depth];
		l = path_leaf(pool, &p);
	}
	if ((rc = entry_out(pool, &l->slot[r - cur->passed], key, val)) != 0)
		return rc;
	cur->index = cur->reverse ? r : r + 1;
	return 0;
}

/* ---- the kind ---- */

static int
sorted_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	struct pk_sorted_hdr *m;
	uint64_t gen;
	int rc;

	(void)arg;
	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_SORTED)) != 0 ||
	    (rc = pk__alloc(pool, off, sizeof(*m), PK_TN_SORTED, 1)) != 0 ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	m = (struct pk_sorted_hdr *)(pool->base + *off);
	m->h.magic = PK_MAGIC_SORTED;
	m->h.version = 1;
	m->h.gen = gen;
	m->leaf = PK_LEAF;
	return 0;
}

static int
sorted_check(pk_pool *pool, const void *hdr)
{
	const struct pk_sorted_hdr *m = hdr;
	unsigned h;

	(void)pool;
	return check_height(m, &h);
}

/* release_node -- release what the subtree at off holds and free its
 * nodes */
static int
release_node(pk_pool *pool, uint64_t off, unsigned level)
{
	int rc;

	if (level == 0) {
		struct pk_sleaf *l = leaf_at(pool, off);
		if (l == NULL)
			return corrupt("bad leaf");
		for (unsigned i = 0; i < l->hd.n; i++)
			if ((rc = pk__slot_release(pool, &l->slot[i])) != 0)
				return rc;
		return free_node(pool, off);
	}
	struct pk_sinner *in = inner_at(pool, off, level);
	if (in == NULL)
		return corrupt("bad inner node");
	for (unsigned i = 0; i < in->hd.n; i++) {
		if ((rc = release_node(pool, in->kid[i], level - 1)) != 0 ||
		    (i + 1 < in->hd.n &&
		     (rc = pk__slot_release(pool, &in->sep[i])) != 0))
			return rc;
	}
	return free_node(pool, off);
}

static int
release_all(pk_pool *pool, struct pk_sorted_hdr *m)
{
	unsigned h;
	int rc = check_height(m, &h);

	if (rc != 0 || h == 0)
		return rc;
	return release_node(pool, m->root, h - 1);
}

static int
sorted_clear(pk_pool *pool, void *hdr)
{
	struct pk_sorted_hdr *m = hdr;
	int rc;

	if ((rc = release_all(pool, m)) != 0 ||
	    (rc = pk__snap((char *)m + HDR_MUT_OFF, sizeof(*m) -
			    HDR_MUT_OFF)) != 0)
		return rc;
	m->count = 0;
	m->modcount++;
	m->root = 0;
	m->height = 0;
	m->leaf = PK_LEAF;
	return 0;
}

static int
sorted_destroy(pk_pool *pool, uint64_t off)
{
	int rc = release_all(pool, (struct pk_sorted_hdr *)(pool->base + off));

	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/*
 * walk_node -- report the subtree at off (stored at field): the node,
 * then what its slots hold, then its children; *n the entries found,
 * which its parent's count for it must match
 */
static int
walk_node(pk_pool *pool, uint64_t off, const uint64_t *field,
		unsigned level, struct pk_walker *w, uint64_t *n)
{
	int rc;

	*n = 0;
	if (level == 0) {
		struct pk_sleaf *l = leaf_at(pool, off);
		if (l == NULL)
			return corrupt("bad leaf");
		if ((rc = w->object(w, off, field)) != 0)
			return rc;
		for (unsigned i = 0; i < l->hd.n; i++)
			if ((rc = pk__slot_walk(&l->slot[i], w)) != 0)
				return rc;
		*n = l->hd.n;
		return 0;
	}
	struct pk_sinner *in = inner_at(pool, off, level);
	if (in == NULL)
		return corrupt("bad inner node");
	if ((rc = w->object(w, off, field)) != 0)
		return rc;
	for (unsigned i = 0; i + 1 < in->hd.n; i++)
		if ((rc = pk__slot_walk(&in->sep[i], w)) != 0)
			return rc;
	for (unsigned i = 0; i < in->hd.n; i++) {
		uint64_t k;
		if ((rc = walk_node(pool, in->kid[i], &in->kid[i], level - 1,
				w, &k)) != 0)
			return rc;
		if (k != in->cnt[i])
			return corrupt("a child's count is not its entries'");
		*n += k;
	}
	return 0;
}

static int
sorted_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	struct pk_sorted_hdr *m = (struct pk_sorted_hdr *)(pool->base + off);
	uint64_t n = 0;
	unsigned h;
	int rc;

	if ((rc = check_height(m, &h)) != 0)
		return rc;
	if (h != 0 && (rc = walk_node(pool, m->root, &m->root, h - 1, w,
					&n)) != 0)
		return rc;
	return n == m->count ? 0 : corrupt("count is not its entries'");
}

const struct pk_kind pk__sorted_kind = {
	.type = PK_SORTED,
	.magic = PK_MAGIC_SORTED,
	.name = "sorted map",
	.hdr_size = sizeof(struct pk_sorted_hdr),
	.type_num = PK_TN_SORTED,
	.incompat = PK_INCOMPAT_SORTED,
	.leaf_off = offsetof(struct pk_sorted_hdr, leaf),
	.modcount_off = offsetof(struct pk_sorted_hdr, modcount),
	.count_off = offsetof(struct pk_sorted_hdr, count),
	.create = sorted_create,
	.check = sorted_check,
	.clear = sorted_clear,
	.destroy = sorted_destroy,
	.walk = sorted_walk,
	.cursor_next = sorted_cursor_next,
	.cursor_optimistic = 1,
};

/* ---- the public functions, each under its locks (lock.h) ---- */

/* pk_sorted_put -- insert or replace the value for a key (pmemkit.h) */
int
pk_sorted_put(pk_sorted *map, const pk_value *key, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map),
			pk__refs_in(val, 1))) != 0)
		return rc;
	do
		rc = sorted_put(map, key, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_sorted_remove -- remove a key and its value (pmemkit.h) */
int
pk_sorted_remove(pk_sorted *map, const pk_value *key)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map), 0)) != 0)
		return rc;
	do
		rc = sorted_remove(map, key);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_sorted_remove_range -- remove the entries of a range (pmemkit.h) */
int
pk_sorted_remove_range(uint64_t *removed, pk_sorted *map,
		const pk_sorted_range *range)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map), 0)) != 0)
		return rc;
	do
		rc = sorted_remove_range(map, removed, range);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_sorted_remove_at -- remove the entry at an index (pmemkit.h) */
int
pk_sorted_remove_at(pk_sorted *map, int64_t index)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(map), 0)) != 0)
		return rc;
	do
		rc = sorted_remove_at(map, index);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_sorted_get -- look up a key (pmemkit.h) */
int
pk_sorted_get(pk_value *out, pk_sorted *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = sorted_get(map, out, NULL, key);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_sorted_contains -- whether a key is present (pmemkit.h) */
int
pk_sorted_contains(int *out, pk_sorted *map, const pk_value *key)
{
	struct pk_read r;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = sorted_get(map, NULL, out, key);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_sorted_at -- the entry at an index (pmemkit.h) */
int
pk_sorted_at(pk_value *key, pk_value *val, pk_sorted *map, int64_t index)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = sorted_at(map, key, val, index);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_sorted_rank -- the number of keys before a key (pmemkit.h) */
int
pk_sorted_rank(uint64_t *out, pk_sorted *map, const pk_value *key,
		int after)
{
	struct pk_sorted_hdr *m;
	struct pk_key k;
	struct pk_read r;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do {
		if ((rc = sorted_hdr(&m, map)) == 0 &&
		    (rc = probe_make(&k, key)) == 0)
			rc = rank_of(map->h.pool, m, &k, after != 0, out);
	} while (!pk__read_done(&r));
	return rc;
}

/* pk_sorted_seek -- the entry nearest a key one way (pmemkit.h) */
int
pk_sorted_seek(pk_value *key, pk_value *val, pk_sorted *map,
		const pk_value *probe, int how)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	do
		rc = sorted_seek(map, key, val, probe, how);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_sorted_range_cursor -- iterate over a range (pmemkit.h) */
int
pk_sorted_range_cursor(pk_cursor **out, pk_sorted *map,
		const pk_sorted_range *range)
{
	struct pk_read r;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	pk__read_begin(&r, PK_HANDLE_OF(map), PK_READ_OPTIMISTIC);
	while (rc = range_cursor(out, map, range), !pk__read_done(&r)) {
		pk_cursor_free(*out);	/* its range may be torn */
		*out = NULL;
	}
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_sorted_new -- create a new, empty sorted map (pmemkit.h) */
int
pk_sorted_new(pk_sorted **out, pk_pool *pool)
{
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__sorted_kind, NULL);
}

/* pk_sorted_open -- open a handle to a sorted map (pmemkit.h) */
int
pk_sorted_open(pk_sorted **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__sorted_kind);
}

/* pk_sorted_close -- release a sorted map handle (pmemkit.h) */
void
pk_sorted_close(pk_sorted *map)
{
	pk__container_close(PK_HANDLE_OF(map));
}

/* pk_sorted_value -- a value that refers to the map (pmemkit.h) */
pk_value
pk_sorted_value(const pk_sorted *map)
{
	return pk__container_value(PK_HANDLE_OF(map), &pk__sorted_kind);
}

/* pk_sorted_length -- number of entries, in O(1) (pmemkit.h) */
int
pk_sorted_length(uint64_t *out, pk_sorted *map)
{
	return pk__container_length(out, PK_HANDLE_OF(map),
			&pk__sorted_kind);
}

/* pk_sorted_cursor -- iterate over every entry in order (pmemkit.h) */
int
pk_sorted_cursor(pk_cursor **out, pk_sorted *map)
{
	return pk_sorted_range_cursor(out, map, NULL);
}

/* pk_sorted_clear -- remove every entry (pmemkit.h) */
int
pk_sorted_clear(pk_sorted *map)
{
	return pk__container_clear(PK_HANDLE_OF(map), &pk__sorted_kind);
}
