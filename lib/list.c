/*
 * list.c -- the persistent list
 *
 * A header and up to PK_LIST_SEGS segments of cells; segment k holds
 * PK_LISTSEG0 << k cells, so element i lives in segment
 * floor(log2(i / PK_LISTSEG0 + 1)) and one count-leading-zeros finds it.
 * An append that finds the last segment full allocates the next, twice
 * as large: no cell is ever copied to grow the list, and get and set are
 * O(1). Insert, pop and remove_range move the cells after the index, as
 * Python's list does. (Over 800 lines, as one file: the segment
 * arithmetic and cell helpers serve every operation inline; a sixth of it
 * is the public functions' lock brackets.)
 *
 * Space: segments beyond those the elements need go back to the pool when
 * the list shrinks, except one spare, the segment right after the last one
 * in use, so that a list going back and forth across a segment boundary
 * does not allocate and free a segment every time. An empty list keeps no
 * segment, whether emptied by pops, remove_range or pk_list_clear().
 *
 * Each cell holds one value in the encoding of lib/slot.c: inline when the
 * payload fits the cell's PK_CELL_DATA bytes, else in a pk_blob.
 *
 * Crash atomicity: every cell range is snapshotted before it is written,
 * except in segments allocated by the same operation (an abort frees them).
 * Cells at and beyond count are garbage: nothing reads them. That a cell
 * was garbage when the operation began does not spare its snapshot, since
 * in a user transaction it may have held an element when the transaction
 * began (a pop, then an append).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* the range of the header that changes with the length */
#define HDR_MUT_OFF offsetof(struct pk_list_hdr, count)
#define HDR_MUT_LEN (offsetof(struct pk_list_hdr, leaf) - HDR_MUT_OFF)

/* removing up to this many elements needs no heap copy of their cells */
#define GONE_LOCAL 8

static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "list: %s", what);
}

/* cells of the doubling segments of a capped list */
#define DOUBLING_CELLS (PK_LISTSEG0 * ((1ULL << PK_LIST_DOUBLING) - 1))

/* a capped segment has the size of a map's full segment, to share its
 * allocation class (alloc.c) */
_Static_assert(sizeof(struct pk_listseg) + PK_LISTSEG_CAP *
		sizeof(struct pk_cell) == sizeof(struct pk_segment) +
		8 * PK_SEG_BUCKETS + PK_SEG_BUCKETS * sizeof(struct pk_bucket),
		"a capped list segment is a map's full segment in size");

/* ndouble -- segments that double: all of a list of layout 0 */
static inline uint64_t
ndouble(const struct pk_list_hdr *l)
{
	return l->layout == 0 ? PK_LIST_SEGS : PK_LIST_DOUBLING;
}

/* max_segs -- the most segments a list can have */
static inline uint64_t
max_segs(const struct pk_list_hdr *l)
{
	return l->layout == 0 ? PK_LIST_SEGS : PK_LIST_DOUBLING +
		PK_LISTDIR0 * ((1ULL << (PK_LIST_SEGS - PK_LIST_DOUBLING)) -
				1);
}

/* seg_of -- segment holding element i, and i's index in it */
static inline uint64_t
seg_of(const struct pk_list_hdr *l, uint64_t i, uint64_t *idx)
{
	if (i >= DOUBLING_CELLS && l->layout != 0) {
		i -= DOUBLING_CELLS;
		*idx = i % PK_LISTSEG_CAP;
		return PK_LIST_DOUBLING + i / PK_LISTSEG_CAP;
	}
	unsigned k = pk__log2(i / PK_LISTSEG0 + 1);
	*idx = i - PK_LISTSEG0 * ((1ULL << k) - 1);
	return k;
}

/* seg_cells -- cells in segment k */
static inline uint64_t
seg_cells(const struct pk_list_hdr *l, uint64_t k)
{
	return k < ndouble(l) ? (uint64_t)PK_LISTSEG0 << k : PK_LISTSEG_CAP;
}

/* seg_bytes -- size of segment k's allocation */
static inline uint64_t
seg_bytes(const struct pk_list_hdr *l, uint64_t k)
{
	return sizeof(struct pk_listseg) +
		seg_cells(l, k) * sizeof(struct pk_cell);
}

/* segs_cap -- capacity of the first n segments, n <= max_segs() */
static inline uint64_t
segs_cap(const struct pk_list_hdr *l, uint64_t n)
{
	if (n <= ndouble(l))
		return PK_LISTSEG0 * ((1ULL << n) - 1);
	return DOUBLING_CELLS + (n - PK_LIST_DOUBLING) * PK_LISTSEG_CAP;
}

/* segs_for -- segments that count elements occupy */
static inline uint64_t
segs_for(const struct pk_list_hdr *l, uint64_t count)
{
	uint64_t idx;
	return count == 0 ? 0 : seg_of(l, count - 1, &idx) + 1;
}

/* dir_of -- directory holding capped segment b (segment PK_LIST_DOUBLING
 * + b), and b's index in it */
static inline unsigned
dir_of(uint64_t b, uint64_t *idx)
{
	unsigned j = pk__log2(b / PK_LISTDIR0 + 1);
	*idx = b - PK_LISTDIR0 * ((1ULL << j) - 1);
	return j;
}

/* dirs_for -- directories that n segments use */
static inline uint64_t
dirs_for(const struct pk_list_hdr *l, uint64_t n)
{
	uint64_t idx;
	return n <= ndouble(l) ? 0 : dir_of(n - 1 - PK_LIST_DOUBLING, &idx) +
		1;
}

/* dir_bytes -- size of directory j's allocation */
static inline uint64_t
dir_bytes(unsigned j)
{
	return sizeof(struct pk_listdir) + ((uint64_t)PK_LISTDIR0 << j) * 8;
}

/* dir_get -- directory j, its magic and capacity checked */
static struct pk_listdir *
dir_get(pk_pool *pool, const struct pk_list_hdr *l, unsigned j)
{
	struct pk_listdir *d;

	if (PK_LIST_DOUBLING + j >= PK_LIST_SEGS)
		return NULL;
	d = pk__ptr(pool, l->seg[PK_LIST_DOUBLING + j], dir_bytes(j));
	if (d == NULL || d->magic != PK_MAGIC_LISTDIR ||
	    d->cap != (uint64_t)PK_LISTDIR0 << j)
		return NULL;
	return d;
}

/*
 * seg_slot -- where segment k's offset is kept: the header, or a
 * directory; NULL if that directory is out of bounds. As with segments,
 * a directory's magic is not read on the element path (walks check it).
 */
static inline uint64_t *
seg_slot(pk_pool *pool, const struct pk_list_hdr *l, uint64_t k)
{
	struct pk_listdir *d;
	uint64_t idx;
	unsigned j;

	if (k < ndouble(l))
		return (uint64_t *)&l->seg[k];
	j = dir_of(k - PK_LIST_DOUBLING, &idx);
	if (PK_UNLIKELY(PK_LIST_DOUBLING + j >= PK_LIST_SEGS ||
			(d = pk__ptr(pool, l->seg[PK_LIST_DOUBLING + j],
				dir_bytes(j))) == NULL))
		return NULL;
	return &d->seg[idx];
}

/*
 * locate -- cell i, its segment and its index there. The segment's magic
 * is not read on this path (one cache miss more per get); the bounds check
 * keeps a damaged offset inside the pool, and walks verify magics.
 */
static inline struct pk_cell *
locate(pk_pool *pool, const struct pk_list_hdr *l, uint64_t i,
		uint64_t *seg, uint64_t *idx)
{
	struct pk_listseg *s;
	uint64_t *slot;

	*seg = seg_of(l, i, idx);
	if (PK_UNLIKELY(*seg >= l->nsegs ||
			(slot = seg_slot(pool, l, *seg)) == NULL ||
			(s = pk__ptr(pool, *slot,
				seg_bytes(l, *seg))) == NULL))
		return NULL;
	return &s->cell[*idx];
}

/* cell_at -- cell i, or NULL if its segment is missing or out of bounds */
static inline struct pk_cell *
cell_at(pk_pool *pool, const struct pk_list_hdr *l, uint64_t i)
{
	uint64_t seg, idx;
	return locate(pool, l, i, &seg, &idx);
}

/* seg_get -- segment k, its magic and size checked */
static struct pk_listseg *
seg_get(pk_pool *pool, const struct pk_list_hdr *l, uint64_t k)
{
	uint64_t *slot = seg_slot(pool, l, k);
	struct pk_listseg *s = slot == NULL ? NULL :
		pk__ptr(pool, *slot, seg_bytes(l, k));

	if (s == NULL || s->magic != PK_MAGIC_LISTSEG ||
	    s->ncells != seg_cells(l, k))
		return NULL;
	return s;
}

/* cell_read -- the value a cell holds */
static inline int
cell_read(pk_pool *pool, pk_value *out, const struct pk_cell *c)
{
	if (PK_UNLIKELY(c->len > PK_CELL_DATA))
		return corrupt("bad cell length");
	return pk__payload_read(pool, out, c->type, c->len, c->data);
}

/* cell_write -- encode a value into a cell, out of line if it is long */
static inline int
cell_write(pk_pool *pool, struct pk_cell *c, const pk_value *v)
{
	/* whole cells are snapshotted later: no byte of one is left undefined */
	memset(c, 0, sizeof(*c));
	return pk__payload_write(pool, &c->type, &c->len, c->data, v,
			pk__payload_len(v) > PK_CELL_DATA);
}

/* cell_release -- drop the blob or the reference a cell holds */
static int
cell_release(pk_pool *pool, const struct pk_cell *c)
{
	if (c->len > PK_CELL_DATA)
		return corrupt("bad cell length");
	return pk__payload_release(pool, c->type, c->data);
}

/* release_cells -- cell_release for elements [0, count) */
static int
release_cells(pk_pool *pool, const struct pk_list_hdr *l)
{
	uint64_t i = 0, idx, run, k;
	int rc;

	while (i < l->count) {
		struct pk_cell *c = locate(pool, l, i, &k, &idx);
		if (c == NULL)
			return corrupt("bad segment");
		run = seg_cells(l, k) - idx;
		if (run > l->count - i)
			run = l->count - i;
		for (uint64_t j = 0; j < run; j++)
			if ((rc = cell_release(pool, &c[j])) != 0)
				return rc;
		i += run;
	}
	return 0;
}

/*
 * snap_cells -- snapshot cells [a, b) before they are written, except in
 * segments numbered fresh and up, which this operation allocated
 */
static int
snap_cells(pk_pool *pool, const struct pk_list_hdr *l, uint64_t a,
		uint64_t b, uint64_t fresh)
{
	uint64_t idx, run, k;
	int rc;

	while (a < b) {
		struct pk_cell *c = locate(pool, l, a, &k, &idx);
		if (c == NULL)
			return corrupt("bad segment");
		if (k >= fresh)
			return 0; /* later segments are newer still */
		run = seg_cells(l, k) - idx;
		if (run > b - a)
			run = b - a;
		if ((rc = pk__snap(c, run * sizeof(*c))) != 0)
			return rc;
		a += run;
	}
	return 0;
}

/* copy_out -- copy cells [a, a + n) to dst */
static int
copy_out(pk_pool *pool, const struct pk_list_hdr *l, struct pk_cell *dst,
		uint64_t a, uint64_t n)
{
	uint64_t idx, run, k;

	while (n > 0) {
		struct pk_cell *c = locate(pool, l, a, &k, &idx);
		if (c == NULL)
			return corrupt("bad segment");
		run = seg_cells(l, k) - idx;
		if (run > n)
			run = n;
		memcpy(dst, c, run * sizeof(*c));
		dst += run;
		a += run;
		n -= run;
	}
	return 0;
}

/* min3 -- the least of a, b and c */
static inline uint64_t
min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* move_down -- move cells [src, src + n) to dst < src, first to last */
static int
move_down(pk_pool *pool, const struct pk_list_hdr *l, uint64_t dst,
		uint64_t src, uint64_t n)
{
	uint64_t is, id, run, ks, kd;

	while (n > 0) {
		struct pk_cell *s = locate(pool, l, src, &ks, &is);
		struct pk_cell *d = locate(pool, l, dst, &kd, &id);
		if (s == NULL || d == NULL)
			return corrupt("bad segment");
		run = min3(n, seg_cells(l, ks) - is, seg_cells(l, kd) - id);
		memmove(d, s, run * sizeof(*d));
		src += run;
		dst += run;
		n -= run;
	}
	return 0;
}

/* move_up -- move cells [src, src + n) to dst > src, last to first */
static int
move_up(pk_pool *pool, const struct pk_list_hdr *l, uint64_t dst,
		uint64_t src, uint64_t n)
{
	uint64_t is, id, run, ks, kd;

	while (n > 0) {
		struct pk_cell *s = locate(pool, l, src + n - 1, &ks, &is);
		struct pk_cell *d = locate(pool, l, dst + n - 1, &kd, &id);
		if (s == NULL || d == NULL)
			return corrupt("bad segment");
		/* the cells from the start of each segment up to these */
		run = min3(n, is + 1, id + 1);
		memmove(d - (run - 1), s - (run - 1), run * sizeof(*d));
		n -= run;
	}
	return 0;
}

/*
 * new_slot -- the slot for segment k, about to be allocated, snapshotted:
 * in the header, or in a directory, which is allocated (zeroed, so its
 * slots need no snapshot) when k is its first segment
 */
static int
new_slot(pk_pool *pool, struct pk_list_hdr *l, uint64_t k, uint64_t **slot)
{
	struct pk_listdir *d;
	uint64_t idx, off;
	unsigned j;
	int rc;

	if (k < ndouble(l)) {
		*slot = &l->seg[k];
		return pk__snap(*slot, 8);
	}
	j = dir_of(k - PK_LIST_DOUBLING, &idx);
	if (idx != 0) {
		if ((d = dir_get(pool, l, j)) == NULL)
			return corrupt("bad directory");
		*slot = &d->seg[idx];
		return pk__snap(*slot, 8);
	}
	if ((rc = pk__snap(&l->seg[PK_LIST_DOUBLING + j], 8)) != 0 ||
	    (rc = pk__alloc(pool, &off, dir_bytes(j), PK_TN_LISTDIR, 1)) != 0)
		return rc;
	d = (struct pk_listdir *)(pool->base + off);
	d->magic = PK_MAGIC_LISTDIR;
	d->cap = (uint32_t)PK_LISTDIR0 << j;
	l->seg[PK_LIST_DOUBLING + j] = off;
	*slot = &d->seg[0];
	return 0;
}

/*
 * grow -- allocate the segments that want elements need. The header's
 * mutable range is snapshotted already; the new segments come zeroed, and
 * their cells lie beyond count.
 */
static int
grow(pk_pool *pool, struct pk_list_hdr *l, uint64_t want)
{
	uint64_t need = segs_for(l, want), off, *slot = NULL;
	int rc = 0;

	if (need <= l->nsegs)
		return 0;
	if (need > max_segs(l))
		return pk__err(PK_ENOSPACE, "list: %llu elements are too many",
				(unsigned long long)want);
	while (rc == 0 && l->nsegs < need) {
		uint64_t k = l->nsegs;
		struct pk_listseg *s;
		/* zeroed: cells past the length are snapshotted when the
		 * list grows into them, and must be defined bytes then */
		if ((rc = new_slot(pool, l, k, &slot)) != 0 ||
		    (rc = pk__alloc(pool, &off, seg_bytes(l, k),
				PK_TN_LISTSEG, 1)) != 0)
			break;
		s = (struct pk_listseg *)(pool->base + off);
		s->magic = PK_MAGIC_LISTSEG;
		s->reserved = 0;
		s->ncells = seg_cells(l, k);
		*slot = off;
		l->nsegs++;
	}
	return rc;
}

/*
 * drop_segs -- free segments [keep, nsegs) and the directories they leave
 * empty. With clear, their slots are zeroed (snapshotted) and nsegs set to
 * keep (the header's mutable range is snapshotted already); without, the
 * header is left as it is, for a list being destroyed.
 */
static int
drop_segs(pk_pool *pool, struct pk_list_hdr *l, uint64_t keep, int clear)
{
	uint64_t n = l->nsegs, nd = ndouble(l), idx;
	int rc;

	if (n > max_segs(l))
		return corrupt("bad segment count");
	for (uint64_t k = keep; k < n; k++) {
		if (seg_get(pool, l, k) == NULL)
			return corrupt("bad segment");
		if ((rc = pk__free(pool, *seg_slot(pool, l, k))) != 0)
			return rc;
	}
	uint64_t jk = dirs_for(l, keep > nd ? keep : nd), jn = dirs_for(l, n);
	for (uint64_t j = jk; j < jn; j++) {
		if (dir_get(pool, l, (unsigned)j) == NULL)
			return corrupt("bad directory");
		if ((rc = pk__free(pool, l->seg[PK_LIST_DOUBLING + j])) != 0)
			return rc;
	}
	if (!clear || keep >= n)
		return 0;
	if (keep < nd) {
		uint64_t *from = &l->seg[keep], len = (n < nd ? n : nd) - keep;
		if ((rc = pk__snap(from, len * 8)) != 0)
			return rc;
		memset(from, 0, len * 8);
	}
	if (jn > jk) {
		uint64_t *from = &l->seg[PK_LIST_DOUBLING + jk];
		if ((rc = pk__snap(from, (jn - jk) * 8)) != 0)
			return rc;
		memset(from, 0, (jn - jk) * 8);
	}
	/* the slots past keep in the directory that holds segment keep */
	if (keep > nd && dir_of(keep - PK_LIST_DOUBLING, &idx) == jk - 1 &&
	    idx != 0) {
		struct pk_listdir *d = dir_get(pool, l, (unsigned)(jk - 1));
		uint64_t last, end;
		if (d == NULL)
			return corrupt("bad directory");
		end = jn > jk || dir_of(n - 1 - PK_LIST_DOUBLING, &last) !=
			jk - 1 ? d->cap : last + 1;
		if ((rc = pk__snap(&d->seg[idx], (end - idx) * 8)) != 0)
			return rc;
		memset(&d->seg[idx], 0, (end - idx) * 8);
	}
	l->nsegs = keep;
	return 0;
}

/*
 * shrink -- free the segments the elements left, but one spare (none when
 * the list is empty). The header's mutable range is snapshotted already.
 */
static int
shrink(pk_pool *pool, struct pk_list_hdr *l)
{
	uint64_t keep = l->count == 0 ? 0 : segs_for(l, l->count) + 1;

	return l->nsegs <= keep ? 0 : drop_segs(pool, l, keep, 1);
}

/* list_hdr -- the header of the list a handle refers to */
static inline int
list_hdr(struct pk_list_hdr **out, pk_list *list)
{
	return pk__handle_get((void **)out, PK_HANDLE_OF(list));
}

/*
 * index_of -- the element a Python index names, or PK_ERANGE. A negative
 * index adds the length modulo 2^64: one more than -length wraps past it.
 */
static inline int
index_of(uint64_t *out, const struct pk_list_hdr *l, int64_t index)
{
	uint64_t n = l->count;

	*out = index < 0 ? n + (uint64_t)index : (uint64_t)index;
	if (PK_UNLIKELY(*out >= n))
		return pk__err(PK_ERANGE, "index %lld, length %llu",
				(long long)index, (unsigned long long)n);
	return 0;
}

/* clamp -- a slice bound or insert position, as Python clamps it */
static inline uint64_t
clamp(int64_t index, uint64_t n)
{
	if (index < 0) {
		uint64_t back = (uint64_t)0 - (uint64_t)index;
		return back >= n ? 0 : n - back;
	}
	return (uint64_t)index > n ? n : (uint64_t)index;
}

/* append_cells -- store n checked values after the last element */
static int
append_cells(pk_pool *pool, struct pk_list_hdr *l, const pk_value *vals,
		uint64_t n)
{
	uint64_t at = l->count, fresh = l->nsegs, most;
	int rc;

	most = segs_cap(l, max_segs(l));
	if (at > most || n > most - at)
		return pk__err(PK_ENOSPACE, "list: too many elements");
	if ((rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) != 0 ||
	    (rc = grow(pool, l, at + n)) != 0 ||
	    (rc = snap_cells(pool, l, at, at + n, fresh)) != 0)
		return rc;
	for (uint64_t j = 0; j < n; j++) {
		struct pk_cell *c = cell_at(pool, l, at + j);
		if (c == NULL)
			return corrupt("bad segment");
		if ((rc = cell_write(pool, c, &vals[j])) != 0)
			return rc;
	}
	l->count += n;
	l->modcount++;
	return 0;
}

/*
 * remove_cells -- remove elements [a, b), a < b. Their cells are copied
 * out first and released last: a release may free containers, this list
 * among them, so nothing of the list is touched after it.
 */
static int
remove_cells(pk_pool *pool, struct pk_list_hdr *l, uint64_t a, uint64_t b)
{
	struct pk_cell local[GONE_LOCAL], *gone = local;
	uint64_t n = b - a;
	int rc;

	if (n > GONE_LOCAL && (gone = malloc(n * sizeof(*gone))) == NULL)
		return pk__err(ENOMEM, NULL);
	if ((rc = copy_out(pool, l, gone, a, n)) == 0 &&
	    (rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) == 0 &&
	    (rc = snap_cells(pool, l, a, l->count - n, UINT64_MAX)) == 0 &&
	    (rc = move_down(pool, l, a, b, l->count - b)) == 0) {
		l->count -= n;
		l->modcount++;
		rc = shrink(pool, l);
	}
	for (uint64_t j = 0; j < n && rc == 0; j++)
		rc = cell_release(pool, &gone[j]);
	if (gone != local)
		free(gone);
	return rc;
}

/* list_create -- allocate an empty list (the kind's create) */
static int
list_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	struct pk_list_hdr *l;
	uint64_t gen;
	int rc;

	(void)arg;
	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_LISTCAP)) != 0 ||
	    (rc = pk__alloc(pool, off, sizeof(*l), PK_TN_LIST, 1)) != 0 ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	l = (struct pk_list_hdr *)(pool->base + *off);
	l->h.magic = PK_MAGIC_LIST;
	l->h.version = 1;
	l->h.gen = gen;
	l->leaf = PK_LEAF;
	l->layout = PK_LIST_CAPPED;
	return 0;
}

/* list_destroy -- free a list whose last reference went */
static int
list_destroy(pk_pool *pool, uint64_t off)
{
	const struct pk_list_hdr *l =
		(const struct pk_list_hdr *)(pool->base + off);
	int rc = release_cells(pool, l);

	if (rc == 0)
		rc = drop_segs(pool, (struct pk_list_hdr *)l, 0, 0);
	return rc != 0 ? rc : pk__obj_free(pool, off);
}

/*
 * list_walk -- every directory and segment a list owns (a directory before
 * the segments it holds) and every value it holds
 */
static int
list_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	const struct pk_list_hdr *l =
		(const struct pk_list_hdr *)(pool->base + off);
	uint64_t i = 0, idx, run, k, jn, nd = ndouble(l);
	int rc;

	if (l->layout != 0 && l->layout != PK_LIST_CAPPED)
		return corrupt("unknown layout");
	if (l->layout != 0)
		w->incompat |= PK_INCOMPAT_LISTCAP;
	if (l->nsegs > max_segs(l) || l->count > segs_cap(l, l->nsegs))
		return corrupt("bad length");
	jn = dirs_for(l, l->nsegs);
	for (k = 0; k < PK_LIST_SEGS; k++)
		if (l->seg[k] != 0 && (k < nd ? k >= l->nsegs :
				k - PK_LIST_DOUBLING >= jn))
			return corrupt("segment past the last");
	for (unsigned j = 0; j < jn; j++) {
		const struct pk_listdir *d = dir_get(pool, l, j);
		if (d == NULL)
			return corrupt("bad directory");
		if (j == jn - 1) {
			dir_of(l->nsegs - 1 - PK_LIST_DOUBLING, &idx);
			while (++idx < d->cap)
				if (d->seg[idx] != 0)
					return corrupt("segment past the last");
		}
		if ((rc = w->object(w, l->seg[PK_LIST_DOUBLING + j],
				&l->seg[PK_LIST_DOUBLING + j])) != 0)
			return rc;
	}
	for (k = 0; k < l->nsegs; k++) {
		if (seg_get(pool, l, k) == NULL)
			return corrupt("bad segment");
		uint64_t *slot = seg_slot(pool, l, k);
		if ((rc = w->object(w, *slot, slot)) != 0)
			return rc;
	}
	while (i < l->count) {
		const struct pk_cell *c = locate(pool, l, i, &k, &idx);
		if (c == NULL)
			return corrupt("bad segment");
		run = seg_cells(l, k) - idx;
		if (run > l->count - i)
			run = l->count - i;
		for (uint64_t j = 0; j < run; j++) {
			if (c[j].len > PK_CELL_DATA)
				return corrupt("bad cell length");
			if ((rc = pk__payload_walk(c[j].type, c[j].len,
					c[j].data, w)) != 0)
				return rc;
		}
		i += run;
	}
	return 0;
}

static int list_cursor_next(struct pk_cursor *c, pk_value *key,
		pk_value *val);

static int list_clear(pk_pool *pool, void *hdr);

const struct pk_kind pk__list_kind = {
	.type = PK_LIST,
	.magic = PK_MAGIC_LIST,
	.name = "list",
	.hdr_size = sizeof(struct pk_list_hdr),
	.type_num = PK_TN_LIST,
	.leaf_off = offsetof(struct pk_list_hdr, leaf),
	.modcount_off = offsetof(struct pk_list_hdr, modcount),
	.count_off = offsetof(struct pk_list_hdr, count),
	.create = list_create,
	.clear = list_clear,
	.destroy = list_destroy,
	.walk = list_walk,
	.cursor_next = list_cursor_next,
};

/* list_get -- element index */
static int
list_get(pk_value *out, pk_list *list, int64_t index)
{
	struct pk_list_hdr *l;
	struct pk_cell *c;
	uint64_t i;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = list_hdr(&l, list)) != 0 ||
	    (rc = index_of(&i, l, index)) != 0)
		return rc;
	if ((c = cell_at(list->h.pool, l, i)) == NULL)
		return corrupt("bad segment");
	return cell_read(list->h.pool, out, c);
}

/*
 * list_set -- replace element index. The new value is encoded into a
 * local cell before the old one is released, so storing a container where
 * it already is cannot free it on the way, and a value that borrows its
 * bytes from the old cell is read before that cell changes.
 */
static int
list_set(pk_list *list, int64_t index, const pk_value *val)
{
	struct pk_list_hdr *l;
	struct pk_cell *c, nc, old;
	struct pk_op op;
	uint64_t i;
	int rc;

	if ((rc = list_hdr(&l, list)) != 0 ||
	    (rc = pk__value_check_in(list->h.pool, val)) != 0 ||
	    (rc = index_of(&i, l, index)) != 0)
		return rc;
	pk_pool *pool = list->h.pool;
	if ((c = cell_at(pool, l, i)) == NULL)
		return corrupt("bad segment");
	if ((rc = pk__ref_drop_check(c->type)) != 0 ||
	    (rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if ((rc = pk__leaf_unset(&l->leaf, val, 1)) == 0 &&
	    (rc = cell_write(pool, &nc, val)) == 0 &&
	    (rc = pk__snap(c, sizeof(*c))) == 0) {
		old = *c;
		*c = nc;
		rc = cell_release(pool, &old);
	}
	return pk__op_end(&op, rc);
}

/* list_extend -- append n values in one transaction */
static int
list_extend(pk_list *list, const pk_value *vals, size_t n)
{
	struct pk_list_hdr *l;
	struct pk_op op;
	int rc;

	if ((rc = list_hdr(&l, list)) != 0)
		return rc;
	if (vals == NULL)
		return pk__err(EINVAL, "NULL values");
	/*
	 * All are checked before anything is written: a bad value appends
	 * nothing and leaves the caller's transaction usable.
	 */
	for (size_t j = 0; j < n; j++)
		if ((rc = pk__value_check_in(list->h.pool, &vals[j])) != 0)
			return rc;
	if (n == 0)
		return 0;
	if ((rc = pk__op_begin(&op, list->h.pool, 1)) != 0)
		return rc;
	rc = pk__leaf_unset(&l->leaf, vals, n);
	return pk__op_end(&op, rc != 0 ? rc :
			append_cells(list->h.pool, l, vals, n));
}

/* list_append -- list_extend() of one value */
static int
list_append(pk_list *list, const pk_value *val)
{
	return list_extend(list, val, 1);
}

/*
 * list_insert -- insert val before index. The value is encoded into a
 * local cell before the cells move, as it may borrow its bytes from one
 * of them.
 */
static int
list_insert(pk_list *list, int64_t index, const pk_value *val)
{
	struct pk_list_hdr *l;
	struct pk_cell nc, *c;
	struct pk_op op;
	uint64_t at, fresh;
	int rc;

	if ((rc = list_hdr(&l, list)) != 0 ||
	    (rc = pk__value_check_in(list->h.pool, val)) != 0)
		return rc;
	pk_pool *pool = list->h.pool;
	at = clamp(index, l->count);
	if (at == l->count)
		return list_extend(list, val, 1);
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	fresh = l->nsegs;
	if ((rc = pk__leaf_unset(&l->leaf, val, 1)) == 0 &&
	    (rc = cell_write(pool, &nc, val)) == 0 &&
	    (rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) == 0 &&
	    (rc = grow(pool, l, l->count + 1)) == 0 &&
	    (rc = snap_cells(pool, l, at, l->count + 1, fresh)) == 0 &&
	    (rc = move_up(pool, l, at + 1, at, l->count - at)) == 0) {
		if ((c = cell_at(pool, l, at)) == NULL) {
			rc = corrupt("bad segment");
		} else {
			*c = nc;
			l->count++;
			l->modcount++;
		}
	}
	return pk__op_end(&op, rc);
}

/* list_pop -- remove element index */
static int
list_pop(pk_list *list, int64_t index)
{
	struct pk_list_hdr *l;
	struct pk_cell *c;
	struct pk_op op;
	uint64_t i;
	int rc;

	if ((rc = list_hdr(&l, list)) != 0 ||
	    (rc = index_of(&i, l, index)) != 0)
		return rc;
	if ((c = cell_at(list->h.pool, l, i)) == NULL)
		return corrupt("bad segment");
	if ((rc = pk__ref_drop_check(c->type)) != 0 ||
	    (rc = pk__op_begin(&op, list->h.pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, remove_cells(list->h.pool, l, i, i + 1));
}

/* list_remove_range -- remove elements [start, stop), clamped as a slice */
static int
list_remove_range(pk_list *list, int64_t start, int64_t stop)
{
	struct pk_list_hdr *l;
	struct pk_op op;
	uint64_t a, b;
	int rc;

	if ((rc = list_hdr(&l, list)) != 0)
		return rc;
	a = clamp(start, l->count);
	b = clamp(stop, l->count);
	if (b <= a)
		return 0;
	if ((rc = pk__op_begin(&op, list->h.pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, remove_cells(list->h.pool, l, a, b));
}

/* list_clear -- remove every element and give every segment back (the
 * kind's clear) */
static int
list_clear(pk_pool *pool, void *hdr)
{
	struct pk_list_hdr *l = hdr;
	int rc;

	if ((rc = release_cells(pool, l)) != 0 ||
	    (rc = pk__snap((char *)l + HDR_MUT_OFF, HDR_MUT_LEN)) != 0 ||
	    (rc = drop_segs(pool, l, 0, 1)) != 0 ||
	    (rc = pk__snap(&l->leaf, sizeof(l->leaf))) != 0)
		return rc;
	l->leaf = PK_LEAF;
	l->modcount += l->count != 0;
	l->count = 0;
	return 0;
}

/*
 * list_cursor_next -- the next element, with its index as key; PK_ECHANGED
 * once the list's length changed, PK_ITEROVER past the end
 */
static int
list_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_list_hdr *l;
	struct pk_cell *c;
	pk_value v;
	int rc;

	if ((rc = pk__handle_get((void **)&l, &cur->h)) != 0)
		return rc;
	if (l->modcount != cur->modcount)
		return pk__err(PK_ECHANGED, NULL);
	if (cur->index >= l->count)
		return PK_ITEROVER;
	if ((c = cell_at(cur->h.pool, l, cur->index)) == NULL)
		return corrupt("bad segment");
	if ((rc = cell_read(cur->h.pool, &v, c)) != 0)
		return rc;
	if (key != NULL)
		*key = pk_int((int64_t)cur->index);
	if (val != NULL)
		*val = v;
	cur->index++;
	return 0;
}

/*
 * ---- the public functions, each under its locks (lock.c); a clear holds
 * the pool's exclusively, as it may free what its entries refer to ----
 */

/* pk_list_get -- read the element at an index (pmemkit.h) */
int
pk_list_get(pk_value *out, pk_list *list, int64_t index)
{
	struct pk_read r;
	int rc;

	pk__read_begin(&r, PK_HANDLE_OF(list), PK_READ_OPTIMISTIC);
	do
		rc = list_get(out, list, index);
	while (!pk__read_done(&r));
	return rc;
}

/* pk_list_set -- replace the element at an index (pmemkit.h) */
int
pk_list_set(pk_list *list, int64_t index, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list),
			pk__refs_in(val, 1))) != 0)
		return rc;
	do
		rc = list_set(list, index, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_list_append -- append a value, in amortised O(1) (pmemkit.h) */
int
pk_list_append(pk_list *list, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list),
			pk__refs_in(val, 1))) != 0)
		return rc;
	do
		rc = list_append(list, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_list_extend -- append several values in one transaction: all or none
 * (pmemkit.h)
 */
int
pk_list_extend(pk_list *list, const pk_value *vals, size_t n)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list),
			pk__refs_in(vals, n))) != 0)
		return rc;
	do
		rc = list_extend(list, vals, n);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_list_insert -- insert a value before an index, as Python's list.insert:
 * an index past the end appends, one before the start inserts at 0
 * (pmemkit.h)
 */
int
pk_list_insert(pk_list *list, int64_t index, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list),
			pk__refs_in(val, 1))) != 0)
		return rc;
	do
		rc = list_insert(list, index, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_list_pop -- remove the element at an index (read it first to keep it: a
 * container held only there is freed) (pmemkit.h)
 */
int
pk_list_pop(pk_list *list, int64_t index)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list), 0)) != 0)
		return rc;
	do
		rc = list_pop(list, index);
	while (!pk__write_done(&w, rc));
	return rc;
}

/*
 * pk_list_remove_range -- remove the elements [start, stop), clamped to the
 * list as a Python slice is; negative bounds count from the end (pmemkit.h)
 */
int
pk_list_remove_range(pk_list *list, int64_t start, int64_t stop)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(list), 0)) != 0)
		return rc;
	do
		rc = list_remove_range(list, start, stop);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/*
 * pk_list_new -- create a new, empty list in a pool (unreferenced until
 * stored) (pmemkit.h)
 */
int
pk_list_new(pk_list **out, pk_pool *pool)
{
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__list_kind, NULL);
}

/* pk_list_open -- open a handle to the list a value refers to (pmemkit.h) */
int
pk_list_open(pk_list **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__list_kind);
}

/*
 * pk_list_close -- release a list handle (NULL is a no-op); the list is
 * unchanged (pmemkit.h)
 */
void
pk_list_close(pk_list *list)
{
	pk__container_close(PK_HANDLE_OF(list));
}

/*
 * pk_list_value -- a value that refers to the list, to store it in a
 * container (pmemkit.h)
 */
pk_value
pk_list_value(const pk_list *list)
{
	return pk__container_value(PK_HANDLE_OF(list), &pk__list_kind);
}

/* pk_list_length -- number of elements, in O(1) (pmemkit.h) */
int
pk_list_length(uint64_t *out, pk_list *list)
{
	return pk__container_length(out, PK_HANDLE_OF(list),
			&pk__list_kind);
}

/*
 * pk_list_cursor -- iterate over the elements in order: the cursor's key is
 * the index (PK_INT), its value the element (pmemkit.h)
 */
int
pk_list_cursor(pk_cursor **out, pk_list *list)
{
	return pk__container_cursor(out, PK_HANDLE_OF(list),
			&pk__list_kind);
}

/*
 * pk_list_clear -- remove every element and give the space back to the pool
 * (pmemkit.h)
 */
int
pk_list_clear(pk_list *list)
{
	return pk__container_clear(PK_HANDLE_OF(list), &pk__list_kind);
}
