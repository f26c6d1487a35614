/*
 * blocks.c -- the block array
 *
 * A block array holds count blocks of bsize bytes (512 B to 64 KiB). A
 * block is read and written whole; a write is atomic (after a crash the
 * block holds the old contents or the new, never a mix) without copying
 * the old contents anywhere, in the way of libpmemblk's BTT (layout.h):
 *
 *   1. the new contents go to the spare physical block (the current flog
 *      entry's old), and the map entry of the last write, if the map still
 *      has it at old, is set to its new (each only flushed);
 *   2. the other flog entry gets lba, old (the block's map entry) and new
 *      (the spare), and after one drain its seq, larger than the current
 *      one's, is stored and made persistent: that store is the write;
 *   3. the map entry is updated by the next write (step 1), as readers
 *      take the current flog entry over the map for its block.
 *
 * A crash before 2's store leaves the flog as it was, so the spare's new
 * bytes are garbage nobody reads; after it, the flog names the new block.
 * The old block is then the spare, and is overwritten only by the next
 * write, after this one is in the map.
 *
 * Inside a user transaction a write instead snapshots the block and
 * writes it in place, so an abort gives back the old contents. Zeroing a
 * block and marking it bad set a flag in its map entry: one atomic
 * store, or a snapshotted one in a transaction. Growth is transactional:
 * a new extent of physical blocks, and a larger map when it is full.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EXT_MAX ((uint64_t)256 << 20)	/* data bytes of one extent */
#define COUNT_MAX ((uint64_t)1 << 40)

struct blocks_arg {
	uint32_t bsize;
	uint64_t count;
};

/* reads of a zeroed block: PK_BLOCK_MAX zeros */
static const uint8_t zeros[PK_BLOCK_MAX];

/* corrupt -- PK_ECORRUPT, saying what of the block array is damaged */
static int
corrupt(const char *what)
{
	return pk__err(PK_ECORRUPT, "block array: %s", what);
}

/* stride_of -- the bytes of a physical block of bsize */
static inline uint32_t
stride_of(uint32_t bsize)
{
	return (bsize + 63u) & ~63u;
}

/* flog_cur -- the current flog entry: the one with the larger seq */
static inline const struct pk_blkflog *
flog_cur(const struct pk_blocks_hdr *b)
{
	uint64_t s0 = __atomic_load_n(&b->flog[0].seq, __ATOMIC_ACQUIRE);
	uint64_t s1 = __atomic_load_n(&b->flog[1].seq, __ATOMIC_ACQUIRE);

	return &b->flog[s0 > s1 ? 0 : 1];
}

/* blkmap -- the map of block array b, checked; NULL if damaged */
static struct pk_blkmap *
blkmap(pk_pool *pool, const struct pk_blocks_hdr *b)
{
	struct pk_blkmap *m = pk__ptr(pool, b->map, sizeof(*m));

	if (m == NULL || m->magic != PK_MAGIC_BLKMAP || m->cap < b->count ||
	    m->cap > pool->size / 8 ||
	    pk__ptr(pool, b->map, sizeof(*m) + m->cap * 8) == NULL)
		return NULL;
	return m;
}

/*
 * blocks_check -- what every use of a block array relies on (the kind's
 * check): its sizes, its map, and a current flog entry whose block and
 * spare are in the pool
 */
static int
blocks_check(pk_pool *pool, const void *hdr)
{
	const struct pk_blocks_hdr *b = hdr;
	const struct pk_blkflog *f = flog_cur(b);

	if (b->bsize < PK_BLOCK_MIN || b->bsize > PK_BLOCK_MAX ||
	    b->stride != stride_of(b->bsize) || b->count > COUNT_MAX)
		return corrupt("bad sizes");
	if (blkmap(pool, b) == NULL)
		return corrupt("bad map");
	if (pk__ptr(pool, f->old & ~PK_BLK_FLAGS, b->stride) == NULL ||
	    (f->lba != PK_BLK_NONE && (f->lba >= b->count ||
	     pk__ptr(pool, f->new & ~PK_BLK_FLAGS, b->stride) == NULL)))
		return corrupt("bad flog");
	return 0;
}

/* blocks_get -- the header and map of the block array of a handle */
static int
blocks_get(struct pk_blocks_hdr **b, struct pk_blkmap **m,
		const struct pk_handle *h)
{
	int rc;

	if ((rc = pk__handle_get((void **)b, h)) != 0 ||
	    (rc = blocks_check(h->pool, *b)) != 0)
		return rc;
	*m = blkmap(h->pool, *b);
	return 0;
}

/* entry -- block i's map entry, the current flog's new if the map does
 * not have it yet */
static inline uint64_t
entry(const struct pk_blocks_hdr *b, const struct pk_blkmap *m, uint64_t i)
{
	const struct pk_blkflog *f = flog_cur(b);
	uint64_t e = __atomic_load_n(&m->ent[i], __ATOMIC_RELAXED);

	return f->lba == i && e == f->old ? f->new : e;
}

/* index_check -- PK_ERANGE unless block i exists */
static inline int
index_check(const struct pk_blocks_hdr *b, uint64_t i)
{
	if (i >= b->count)
		return pk__err(PK_ERANGE, "block %llu of %llu",
				(unsigned long long)i,
				(unsigned long long)b->count);
	return 0;
}

/* phys -- the bytes of the physical block of map entry e */
static inline uint8_t *
phys(pk_pool *pool, const struct pk_blocks_hdr *b, uint64_t e)
{
	return pk__ptr(pool, e & ~PK_BLK_FLAGS, b->stride);
}

/*
 * block_bytes -- where block i's contents are (zeros for a zeroed block):
 * EIO for a block marked bad
 */
static int
block_bytes(const uint8_t **out, pk_pool *pool, const struct pk_blocks_hdr *b,
		const struct pk_blkmap *m, uint64_t i)
{
	uint64_t e;
	int rc;

	if ((rc = index_check(b, i)) != 0)
		return rc;
	e = entry(b, m, i);
	if (e & PK_BLK_BAD)
		return pk__err(EIO, "block %llu is marked bad",
				(unsigned long long)i);
	if (e & PK_BLK_ZERO) {
		*out = zeros;
		return 0;
	}
	if ((*out = phys(pool, b, e)) == NULL)
		return corrupt("bad map entry");
	return 0;
}

/*
 * settle -- put the last write in the map, if it is not there yet
 * (flushed, not drained: the caller's next drain covers it)
 */
static int
settle(pk_pool *pool, struct pk_blocks_hdr *b, struct pk_blkmap *m)
{
	const struct pk_blkflog *f = flog_cur(b);

	if (f->lba == PK_BLK_NONE || m->ent[f->lba] != f->old)
		return 0;
	__atomic_store_n(&m->ent[f->lba], f->new, __ATOMIC_RELEASE);
	pmemobj_flush(pool->pop, &m->ent[f->lba], 8);
	return 0;
}

/* fill -- the record's bytes at dst, zeros after them up to the block's
 * size, not drained */
static void
fill(pk_pool *pool, uint8_t *dst, const pk_value *val, uint32_t bsize)
{
	size_t len = val->u.buf.len;

	if (len != 0)
		pmemobj_memcpy(pool->pop, dst, val->u.buf.ptr, len,
				PMEMOBJ_F_MEM_NODRAIN);
	if (len < bsize)
		pmemobj_memset(pool->pop, dst + len, 0, bsize - len,
				PMEMOBJ_F_MEM_NODRAIN);
}

/* write_check -- the value a block is written with: bytes (or a string)
 * of at most bsize bytes */
static int
write_check(const pk_value *val, uint32_t bsize)
{
	if (val == NULL)
		return pk__err(EINVAL, "NULL value");
	if (val->type != PK_BYTES && val->type != PK_STRING)
		return pk__err(PK_EKIND, "a block is bytes, not a value of "
				"type %d", (int)val->type);
	if (val->u.buf.ptr == NULL && val->u.buf.len != 0)
		return pk__err(EINVAL, "NULL buffer");
	if (val->u.buf.len > bsize)
		return pk__err(EINVAL, "%zu bytes for a block of %u",
				val->u.buf.len, bsize);
	return 0;
}

/* write_atomic -- write block i through the spare, outside transactions */
static int
write_atomic(pk_pool *pool, struct pk_blocks_hdr *b, struct pk_blkmap *m,
		uint64_t i, const pk_value *val)
{
	const struct pk_blkflog *f = flog_cur(b);
	struct pk_blkflog *o = &b->flog[f == &b->flog[0] ? 1 : 0];
	uint8_t *spare = phys(pool, b, f->old);
	uint64_t seq = f->seq + 1;

	if (spare == NULL)
		return corrupt("bad spare");
	settle(pool, b, m);
	fill(pool, spare, val, b->bsize);
	o->lba = i;
	o->old = m->ent[i];
	o->new = f->old & ~PK_BLK_FLAGS;
	pmemobj_flush(pool->pop, &o->lba, 3 * sizeof(uint64_t));
	pmemobj_drain(pool->pop);
	__atomic_store_n(&o->seq, seq, __ATOMIC_RELEASE);
	pmemobj_persist(pool->pop, &o->seq, sizeof(o->seq));
	return 0;
}

/* write_tx -- write block i in place, snapshotted, in the running
 * transaction */
static int
write_tx(pk_pool *pool, struct pk_blocks_hdr *b, struct pk_blkmap *m,
		uint64_t i, const pk_value *val)
{
	uint64_t e = m->ent[i];
	uint8_t *dst = phys(pool, b, e);
	int rc;

	if (dst == NULL)
		return corrupt("bad map entry");
	if ((rc = pk__snap(dst, b->bsize)) != 0)
		return rc;
	if (e & PK_BLK_FLAGS) {
		if ((rc = pk__snap(&m->ent[i], 8)) != 0)
			return rc;
		m->ent[i] = e & ~PK_BLK_FLAGS;
	}
	if (val->u.buf.len != 0)
		memcpy(dst, val->u.buf.ptr, val->u.buf.len);
	memset(dst + val->u.buf.len, 0, b->bsize - val->u.buf.len);
	return 0;
}

/* blocks_write -- write block i whole, atomically */
static int
blocks_write(pk_blocks *blk, uint64_t i, const pk_value *val)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	pk_pool *pool = blk->h.pool;
	struct pk_op op;
	int rc;

	if ((rc = blocks_get(&b, &m, &blk->h)) != 0 ||
	    (rc = index_check(b, i)) != 0 ||
	    (rc = write_check(val, b->bsize)) != 0)
		return rc;
	if (pk__tx_none())
		return write_atomic(pool, b, m, i, val);
	settle(pool, b, m);
	pmemobj_drain(pool->pop);
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, write_tx(pool, b, m, i, val));
}

/* blocks_flag -- set flag (PK_BLK_ZERO, clearing PK_BLK_BAD, or
 * PK_BLK_BAD) in block i's map entry */
static int
blocks_flag(pk_blocks *blk, uint64_t i, uint64_t flag)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	pk_pool *pool = blk->h.pool;
	struct pk_op op;
	uint64_t e;
	int rc;

	if ((rc = blocks_get(&b, &m, &blk->h)) != 0 ||
	    (rc = index_check(b, i)) != 0)
		return rc;
	settle(pool, b, m);
	e = m->ent[i];
	e = flag == PK_BLK_ZERO ? (e & ~PK_BLK_BAD) | PK_BLK_ZERO : e | flag;
	if (pk__tx_none()) {
		__atomic_store_n(&m->ent[i], e, __ATOMIC_RELEASE);
		pmemobj_persist(pool->pop, &m->ent[i], 8);
		return 0;
	}
	pmemobj_drain(pool->pop);
	if ((rc = pk__op_begin(&op, pool, 1)) != 0)
		return rc;
	if ((rc = pk__snap(&m->ent[i], 8)) == 0)
		m->ent[i] = e;
	return pk__op_end(&op, rc);
}

/*
 * extend -- n more physical blocks, in new extents linked before the
 * others, their offsets (each flagged zero) into ents, in the running
 * transaction
 */
static int
extend(pk_pool *pool, struct pk_blocks_hdr *b, uint64_t *ents, uint64_t n)
{
	uint64_t per = EXT_MAX / b->stride, off;
	int rc;

	while (n > 0) {
		uint64_t k = n < per ? n : per;
		struct pk_blkext *x;
		if ((rc = pk__alloc(pool, &off, sizeof(*x) + k * b->stride,
				PK_TN_BLKEXT, 0)) != 0)
			return rc;
		x = (struct pk_blkext *)(pool->base + off);
		x->magic = PK_MAGIC_BLKEXT;
		x->reserved = 0;
		x->next = b->ext;
		x->nblocks = k;
		memset(x->pad, 0, sizeof(x->pad));
		for (uint64_t j = 0; j < k; j++)
			*ents++ = (off + sizeof(*x) + j * b->stride) |
				PK_BLK_ZERO;
		b->ext = off;
		b->nphys += k;
		n -= k;
	}
	return 0;
}

/* grow -- n more blocks, reading as zeros, in the running transaction;
 * the header's fields from count on are snapshotted */
static int
grow(pk_pool *pool, struct pk_blocks_hdr *b, uint64_t n)
{
	struct pk_blkmap *m = b->map != 0 ? blkmap(pool, b) : NULL;
	uint64_t need = b->count + n, off;
	int rc;

	if (n > COUNT_MAX - b->count)
		return pk__err(EINVAL, "more than %llu blocks",
				(unsigned long long)COUNT_MAX);
	if ((rc = pk__snap(&b->count, offsetof(struct pk_blocks_hdr,
			reserved) - offsetof(struct pk_blocks_hdr, count))) != 0)
		return rc;
	if (m == NULL || need > m->cap) {
		uint64_t cap = m != NULL && m->cap * 2 > need ? m->cap * 2 :
			need;
		struct pk_blkmap *nm;
		if (cap < 8)
			cap = 8;
		if ((rc = pk__alloc(pool, &off, sizeof(*nm) + cap * 8,
				PK_TN_BLKMAP, 0)) != 0)
			return rc;
		nm = (struct pk_blkmap *)(pool->base + off);
		nm->magic = PK_MAGIC_BLKMAP;
		nm->reserved = 0;
		nm->cap = cap;
		memset(nm->pad, 0, sizeof(nm->pad));
		if (m != NULL) {
			memcpy(nm->ent, m->ent, b->count * 8);
			if ((rc = pk__free(pool, b->map)) != 0)
				return rc;
		}
		b->map = off;
		m = nm;
	}
	/* entries past count, which nothing reads until the count that
	 * covers them commits: written without a snapshot, and made
	 * persistent here (a new map's are, with it, at commit) */
	if ((rc = extend(pool, b, &m->ent[b->count], n)) != 0)
		return rc;
	pmemobj_persist(pool->pop, &m->ent[b->count], n * 8);
	b->count = need;
	b->modcount++;
	return 0;
}

/* blocks_grow -- append n blocks that read as zeros */
static int
blocks_grow(pk_blocks *blk, uint64_t n)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	struct pk_op op;
	int rc;

	if ((rc = blocks_get(&b, &m, &blk->h)) != 0)
		return rc;
	if (n == 0)
		return 0;
	settle(blk->h.pool, b, m);
	pmemobj_drain(blk->h.pool->pop);
	if ((rc = pk__op_begin(&op, blk->h.pool, 1)) != 0)
		return rc;
	return pk__op_end(&op, grow(blk->h.pool, b, n));
}

/* blocks_create -- allocate a block array (the kind's create); the pool is
 * marked as one that holds block arrays */
static int
blocks_create(pk_pool *pool, uint64_t *off, const void *arg)
{
	const struct blocks_arg *a = arg;
	struct pk_blocks_hdr *b;
	uint64_t gen, spare;
	int rc;

	if ((rc = pk__incompat_mark(pool, PK_INCOMPAT_BLOCKS)) != 0)
		return rc;
	if ((rc = pk__alloc(pool, off, sizeof(*b), PK_TN_BLOCKS, 1)) != 0 ||
	    (rc = pk__gen_next(pool, &gen)) != 0 ||
	    (rc = pk__created(pool, *off)) != 0)
		return rc;
	b = (struct pk_blocks_hdr *)(pool->base + *off);
	b->h.magic = PK_MAGIC_BLOCKS;
	b->h.version = 1;
	b->h.gen = gen;
	b->bsize = a->bsize;
	b->stride = stride_of(a->bsize);
	/* the spare first, as if block 0 of one more */
	if ((rc = extend(pool, b, &spare, 1)) != 0)
		return rc;
	b->flog[0].seq = 1;
	b->flog[0].lba = PK_BLK_NONE;
	b->flog[0].old = spare & ~PK_BLK_FLAGS;
	b->flog[1].lba = PK_BLK_NONE;
	/* a new object, whole in the transaction: grow's snapshot is cheap */
	return grow(pool, b, a->count);
}

/* blocks_destroy -- free a block array whose last reference went */
static int
blocks_destroy(pk_pool *pool, uint64_t off)
{
	struct pk_blocks_hdr *b = (struct pk_blocks_hdr *)(pool->base + off);
	uint64_t x = b->ext, steps = 0;
	int rc;

	while (x != 0) {
		struct pk_blkext *e = pk__ptr(pool, x, sizeof(*e));
		if (e == NULL || e->magic != PK_MAGIC_BLKEXT ||
		    ++steps > b->nphys)
			return corrupt("bad extent");
		uint64_t next = e->next;
		if ((rc = pk__free(pool, x)) != 0)
			return rc;
		x = next;
	}
	if (b->map != 0 && (rc = pk__free(pool, b->map)) != 0)
		return rc;
	return pk__obj_free(pool, off);
}

/* an extent, for the walk: its offset, blocks and first block's number */
struct ext {
	uint64_t off, nblocks, first;
};

/* ext_cmp -- order of extents by offset, for qsort */
static int
ext_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct ext *)a)->off;
	uint64_t y = ((const struct ext *)b)->off;

	return x < y ? -1 : x > y;
}

/*
 * phys_index -- the number of physical block off among all the extents
 * (x[0..n), sorted by offset), or UINT64_MAX if it is none of theirs
 */
static uint64_t
phys_index(uint64_t off, const struct ext *x, size_t n, uint32_t stride)
{
	size_t lo = 0, hi = n;
	uint64_t d;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return UINT64_MAX;
	d = off - x[lo - 1].off;
	if (d < sizeof(struct pk_blkext) ||
	    (d - sizeof(struct pk_blkext)) % stride != 0 ||
	    (d - sizeof(struct pk_blkext)) / stride >= x[lo - 1].nblocks)
		return UINT64_MAX;
	return x[lo - 1].first + (d - sizeof(struct pk_blkext)) / stride;
}

/* exts_collect -- the extents of b, each reported to the walker, sorted
 * by offset and numbered */
static int
exts_collect(struct ext **out, size_t *n, pk_pool *pool,
		const struct pk_blocks_hdr *b, struct pk_walker *w)
{
	struct ext *x = NULL;
	uint64_t off, total = 0;
	size_t cap = 0;
	int rc;

	*n = 0;
	for (off = b->ext; off != 0;) {
		const struct pk_blkext *e = pk__ptr(pool, off, sizeof(*e));
		if (e == NULL || e->magic != PK_MAGIC_BLKEXT ||
		    e->nblocks == 0 || e->nblocks > b->nphys - total ||
		    pk__ptr(pool, off, sizeof(*e) + e->nblocks * b->stride) ==
		    NULL) {
			rc = corrupt("bad extent");
			goto fail;
		}
		if ((rc = w->object(w, off, NULL)) != 0)
			goto fail;
		if (*n == cap) {
			struct ext *g = realloc(x, (cap = cap ? 2 * cap : 16) *
					sizeof(*g));
			if (g == NULL) {
				rc = pk__err(ENOMEM, NULL);
				goto fail;
			}
			x = g;
		}
		x[(*n)++] = (struct ext){ off, e->nblocks, 0 };
		total += e->nblocks;
		off = e->next;
	}
	if (total != b->nphys) {
		rc = corrupt("the extents hold another number of blocks");
		goto fail;
	}
	qsort(x, *n, sizeof(*x), ext_cmp);
	for (size_t j = 0, first = 0; j < *n; first += x[j++].nblocks)
		x[j].first = first;
	*out = x;
	return 0;
fail:
	free(x);
	return rc;
}

/*
 * blocks_walk -- the map and every extent, and each block (and the spare)
 * in a physical block of its own (a block array holds no references)
 */
static int
blocks_walk(pk_pool *pool, uint64_t off, struct pk_walker *w)
{
	const struct pk_blocks_hdr *b =
		(const struct pk_blocks_hdr *)(pool->base + off);
	const struct pk_blkflog *f;
	const struct pk_blkmap *m;
	struct ext *x = NULL;
	uint8_t *seen = NULL;
	size_t n;
	int rc;

	if ((rc = blocks_check(pool, b)) != 0)
		return rc;
	m = blkmap(pool, b);
	f = flog_cur(b);
	if (b->nphys != b->count + 1 || b->nphys > pool->size / b->stride)
		return corrupt("bad block count");
	/* map and extents stay where they are: the map points into
	 * the extents, and a block array is not among what pk_pool_defrag()
	 * moves */
	if ((rc = w->object(w, b->map, NULL)) != 0 ||
	    (rc = exts_collect(&x, &n, pool, b, w)) != 0)
		return rc;
	if ((seen = calloc((b->nphys + 7) / 8, 1)) == NULL) {
		rc = pk__err(ENOMEM, NULL);
		goto out;
	}
	for (uint64_t i = 0; i <= b->count; i++) {
		uint64_t e = i < b->count ? entry(b, m, i) : f->old;
		uint64_t k = phys_index(e & ~PK_BLK_FLAGS, x, n, b->stride);
		if (k == UINT64_MAX || (seen[k / 8] & (1u << (k % 8)))) {
			rc = corrupt("a block is not in a physical block of "
					"its own");
			goto out;
		}
		seen[k / 8] |= (uint8_t)(1u << (k % 8));
	}
out:
	free(seen);
	free(x);
	return rc;
}

/* blocks_cursor_next -- block cursor->index, its number as key */
static int
blocks_cursor_next(pk_cursor *cur, pk_value *key, pk_value *val)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	const uint8_t *p;
	int rc;

	if ((rc = blocks_get(&b, &m, &cur->h)) != 0)
		return rc;
	if (cur->index >= b->count)
		return PK_ITEROVER;
	if ((rc = block_bytes(&p, cur->h.pool, b, m, cur->index)) != 0)
		return rc;
	if (key != NULL)
		*key = pk_int((int64_t)cur->index);
	if (val != NULL)
		*val = pk_bytes(p, b->bsize);
	cur->index++;
	return 0;
}

const struct pk_kind pk__blocks_kind = {
	.type = PK_BLOCKS,
	.magic = PK_MAGIC_BLOCKS,
	.name = "block array",
	.hdr_size = sizeof(struct pk_blocks_hdr),
	.type_num = PK_TN_BLOCKS,
	.incompat = PK_INCOMPAT_BLOCKS,
	.modcount_off = offsetof(struct pk_blocks_hdr, modcount),
	.count_off = offsetof(struct pk_blocks_hdr, count),
	.create = blocks_create,
	.check = blocks_check,
	.destroy = blocks_destroy,
	.walk = blocks_walk,
	.cursor_next = blocks_cursor_next,
};

/* ---- the public functions, each under its locks (lock.c) ---- */

/* pk_blocks_new -- create a block array (pmemkit.h) */
int
pk_blocks_new(pk_blocks **out, pk_pool *pool, size_t block_size,
		uint64_t count)
{
	struct blocks_arg a;

	if (block_size < PK_BLOCK_MIN || block_size > PK_BLOCK_MAX) {
		if (out != NULL)
			*out = NULL;
		return pk__err(EINVAL, "a block size of %zu: from %u to %u",
				block_size, PK_BLOCK_MIN, PK_BLOCK_MAX);
	}
	if (count > COUNT_MAX) {
		if (out != NULL)
			*out = NULL;
		return pk__err(EINVAL, "more than %llu blocks",
				(unsigned long long)COUNT_MAX);
	}
	a.bsize = (uint32_t)block_size;
	a.count = count;
	return pk__container_new((struct pk_handle **)out, pool,
			&pk__blocks_kind, &a);
}

/* blocks_read -- copy block i into buf, of size bytes; *bsize its size */
static int
blocks_read(void *buf, size_t size, pk_blocks *blk, uint64_t i,
		uint32_t *bsize)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	const uint8_t *p;
	struct pk_read r;
	int rc;

	if (buf == NULL)
		return pk__err(EINVAL, "NULL buffer");
	pk__read_begin(&r, PK_HANDLE_OF(blk), PK_READ_OPTIMISTIC);
	do {
		if ((rc = blocks_get(&b, &m, &blk->h)) != 0 ||
		    (rc = block_bytes(&p, blk->h.pool, b, m, i)) != 0)
			continue;
		*bsize = b->bsize;
		if (size < *bsize)
			rc = pk__err(EINVAL, "a buffer of %zu bytes for a "
					"block of %u", size, *bsize);
		else
			memcpy(buf, p, *bsize);
	} while (!pk__read_done(&r));
	return rc;
}

/* pk_blocks_read -- copy block i into buf (pmemkit.h) */
int
pk_blocks_read(void *buf, size_t size, pk_blocks *blk, uint64_t i)
{
	uint32_t bsize;

	return blocks_read(buf, size, blk, i, &bsize);
}

/* pk_blocks_get -- block i, as a value borrowed from the thread's buffer
 * (pmemkit.h) */
int
pk_blocks_get(pk_value *out, pk_blocks *blk, uint64_t i)
{
	uint32_t bsize;
	void *buf;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	if ((rc = pk__scratch(&buf, PK_BLOCK_MAX)) != 0)
		return rc;
	if ((rc = blocks_read(buf, PK_BLOCK_MAX, blk, i, &bsize)) == 0)
		*out = pk_bytes(buf, bsize);
	return rc;
}

/* pk_blocks_write -- write block i whole, atomically (pmemkit.h) */
int
pk_blocks_write(pk_blocks *blk, uint64_t i, const pk_value *val)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(blk), 0)) != 0)
		return rc;
	do
		rc = blocks_write(blk, i, val);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_blocks_zero -- make block i read as zeros (pmemkit.h) */
int
pk_blocks_zero(pk_blocks *blk, uint64_t i)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(blk), 0)) != 0)
		return rc;
	do
		rc = blocks_flag(blk, i, PK_BLK_ZERO);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_blocks_set_error -- mark block i bad (pmemkit.h) */
int
pk_blocks_set_error(pk_blocks *blk, uint64_t i)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(blk), 0)) != 0)
		return rc;
	do
		rc = blocks_flag(blk, i, PK_BLK_BAD);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_blocks_grow -- append blocks that read as zeros (pmemkit.h) */
int
pk_blocks_grow(pk_blocks *blk, uint64_t n)
{
	struct pk_write w;
	int rc;

	if ((rc = pk__write_begin(&w, PK_HANDLE_OF(blk), 0)) != 0)
		return rc;
	do
		rc = blocks_grow(blk, n);
	while (!pk__write_done(&w, rc));
	return rc;
}

/* pk_blocks_block_size -- bytes of a block (pmemkit.h) */
int
pk_blocks_block_size(uint64_t *out, pk_blocks *blk)
{
	struct pk_blocks_hdr *b;
	struct pk_blkmap *m;
	struct pk_read r;
	int rc;

	if (out == NULL)
		return pk__err(EINVAL, "NULL out");
	pk__read_begin(&r, PK_HANDLE_OF(blk), PK_READ_OPTIMISTIC);
	do
		if ((rc = blocks_get(&b, &m, &blk->h)) == 0)
			*out = b->bsize;
	while (!pk__read_done(&r));
	return rc;
}

/* ---- what every kind does alike (handle.c) ---- */

/* pk_blocks_open -- open a handle to the block array a value refers to
 * (pmemkit.h) */
int
pk_blocks_open(pk_blocks **out, pk_pool *pool, const pk_value *val)
{
	return pk__container_open((struct pk_handle **)out, pool, val,
			&pk__blocks_kind);
}

/* pk_blocks_close -- release a block array handle (pmemkit.h) */
void
pk_blocks_close(pk_blocks *blk)
{
	pk__container_close(PK_HANDLE_OF(blk));
}

/* pk_blocks_value -- a value that refers to the block array (pmemkit.h) */
pk_value
pk_blocks_value(const pk_blocks *blk)
{
	return pk__container_value(PK_HANDLE_OF(blk), &pk__blocks_kind);
}

/* pk_blocks_length -- number of blocks (pmemkit.h) */
int
pk_blocks_length(uint64_t *out, pk_blocks *blk)
{
	return pk__container_length(out, PK_HANDLE_OF(blk),
			&pk__blocks_kind);
}

/* pk_blocks_cursor -- iterate over the blocks (pmemkit.h) */
int
pk_blocks_cursor(pk_cursor **out, pk_blocks *blk)
{
	return pk__container_cursor(out, PK_HANDLE_OF(blk), &pk__blocks_kind);
}
