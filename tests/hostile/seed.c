/*
 * seed.c -- the representative pool every damaged image is derived from,
 * and the map of where pmemkit's structures live in it
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "hostile.h"

const char *const hx_kind_name[HX_NKINDS] = {
	"root", "map", "mapdir", "segment", "overflow", "blob", "list",
	"listseg", "array", "arraydata", "log", "logchunk",
	"blocks", "blkmap", "blkext", "sorted", "sleaf", "sinner", "listdir",
	"foreign",
};

#define TRY(expr) do { int rc_ = (expr); if (rc_ != 0) { \
	fprintf(stderr, "seed: %s: %s (%s)\n", #expr, pk_strerror(rc_), \
			pk_errormsg()); return rc_; } } while (0)

/* a string of len bytes that depends on i */
static pk_value
text(char *buf, size_t len, unsigned i)
{
	for (size_t j = 0; j < len; j++)
		buf[j] = (char)('a' + (i * 7 + j * 3) % 26);
	return pk_string(buf, len);
}

/* a bigint of len bytes (len > 8, top byte not sign extension) */
static pk_value
bigint(uint8_t *buf, size_t len, unsigned i)
{
	pk_value v;

	for (size_t j = 0; j < len; j++)
		buf[j] = (uint8_t)(i * 31 + j);
	buf[len - 1] = 0x40 | (uint8_t)(i & 0x0f);
	v.type = PK_BIGINT;
	v.u.buf.ptr = buf;
	v.u.buf.len = len;
	return v;
}

/* the "big" map: enough entries for split buckets, overflow buckets and
 * several segments; values of every scalar kind, some out of line */
static int
fill_big(pk_map *m, const pk_value *shared)
{
	char kb[80], vb[160];
	uint8_t bb[24];

	for (unsigned i = 0; i < 600; i++) {
		pk_value k = (i % 3 == 0) ? pk_int((int64_t)i * 1000003) :
			text(kb, i % 7 == 0 ? 60 : 3 + i % 20, i);
		pk_value v;
		switch (i % 8) {
		case 0: v = pk_int(-(int64_t)i); break;
		case 1: v = text(vb, 10 + i % 40, i); break;
		case 2: v = text(vb, 70 + (i % 3) * 30, i); break;
		case 3: v = pk_double(i / 7.0); break;
		case 4: v = bigint(bb, 9 + i % 12, i); break;
		case 5: v = pk_bytes(vb, i % 30); break;
		case 6: v = i == 6 ? *shared : pk_bool(i & 1); break;
		default: v = pk_nil(); break;
		}
		TRY(pk_map_put(m, &k, &v));
	}
	return 0;
}

/* the "list": several segments, every kind of cell; then ints up to two
 * capped segments, in the first directory */
static int
fill_list(pk_pool *pool, pk_list *l, const pk_value *shared)
{
	char vb[120];
	uint8_t bb[24];

	for (unsigned i = 0; i < 300; i++) {
		pk_value v;
		pk_map *m;
		switch (i % 9) {
		case 0: v = pk_int(i); break;
		case 1: v = text(vb, 5 + i % 9, i); break;
		case 2: v = text(vb, 20 + (i % 3) * 40, i); break;
		case 3: v = pk_double(-(double)i); break;
		case 4: v = bigint(bb, 9 + i % 14, i); break;
		case 5: v = pk_bytes(vb, i % 20); break;
		case 6: v = pk_bool(1); break;
		case 7:
			if (i % 50 == 7) {
				TRY(pk_map_new(&m, pool));
				pk_value k = pk_int(i), x = pk_string("x", 1);
				TRY(pk_map_put(m, &k, &x));
				v = pk_map_value(m);
				TRY(pk_list_append(l, &v));
				pk_map_close(m);
				continue;
			}
			v = i % 100 == 16 ? *shared : pk_nil();
			break;
		default: v = pk_nil(); break;
		}
		TRY(pk_list_append(l, &v));
	}
	for (unsigned i = 300; i < 2040 + 2083 + 10; i++) {
		pk_value v = pk_int(i);
		TRY(pk_list_append(l, &v));
	}
	return 0;
}

static int
put_array(pk_map *root, const char *name, pk_pool *pool, pk_elem elem,
		size_t width, uint64_t len)
{
	uint8_t buf[1024];
	pk_array *a;

	for (size_t j = 0; j < sizeof(buf); j++)
		buf[j] = (uint8_t)(j * 13 + 1);
	TRY(pk_array_new(&a, pool, elem, width, len, len ? buf : NULL));
	pk_value k = pk_string(name, strlen(name)), v = pk_array_value(a);
	TRY(pk_map_put(root, &k, &v));
	pk_array_close(a);
	return 0;
}

/* nest -- containers several levels deep under root["nest"], sharing one
 * array with the rest of the pool, and two maps that refer to each other */
static int
fill_nest(pk_pool *pool, pk_map *root, const pk_value *shared)
{
	pk_value key, v, inner = pk_nil();
	int rc;

	for (int depth = 6; depth > 0; depth--) {
		pk_value cur;
		if (depth % 2) {
			pk_list *l;
			TRY(pk_list_new(&l, pool));
			v = pk_int(depth);
			TRY(pk_list_append(l, &v));
			TRY(pk_list_append(l, shared));
			if (inner.type != PK_NIL)
				TRY(pk_list_append(l, &inner));
			cur = pk_list_value(l);
			pk_list_close(l);
		} else {
			pk_map *m;
			TRY(pk_map_new(&m, pool));
			key = pk_string("d", 1);
			v = pk_int(depth);
			TRY(pk_map_put(m, &key, &v));
			if (inner.type != PK_NIL) {
				key = pk_string("in", 2);
				TRY(pk_map_put(m, &key, &inner));
			}
			cur = pk_map_value(m);
			pk_map_close(m);
		}
		inner = cur;
	}
	key = pk_string("nest", 4);
	TRY(pk_map_put(root, &key, &inner));

	/* a cycle: a and b refer to each other, both reachable */
	pk_map *a, *b;
	TRY(pk_map_new(&a, pool));
	TRY(pk_map_new(&b, pool));
	pk_value av = pk_map_value(a), bv = pk_map_value(b);
	key = pk_string("peer", 4);
	TRY(pk_map_put(a, &key, &bv));
	TRY(pk_map_put(b, &key, &av));
	key = pk_string("cycle", 5);
	rc = pk_map_put(root, &key, &av);
	pk_map_close(a);
	pk_map_close(b);
	return rc;
}

static int
fill_root(pk_pool *pool, pk_map *root)
{
	char kb[120], vb[512];
	uint8_t bb[32];
	pk_value k, v, sh;
	pk_array *shared;
	pk_map *big;
	pk_list *list;
	pk_log *log;

	/* scalars, inline and out of line, as keys and values */
	k = pk_string("int", 3); v = pk_int(42); TRY(pk_map_put(root, &k, &v));
	k = pk_string("dbl", 3); v = pk_double(3.5); TRY(pk_map_put(root, &k, &v));
	k = pk_string("nil", 3); v = pk_nil(); TRY(pk_map_put(root, &k, &v));
	k = pk_string("t", 1); v = pk_bool(1); TRY(pk_map_put(root, &k, &v));
	k = pk_string("short", 5); v = pk_string("hello", 5);
	TRY(pk_map_put(root, &k, &v));
	k = text(kb, 100, 1); v = pk_int(-7); TRY(pk_map_put(root, &k, &v));
	k = pk_string("longval", 7); v = text(vb, 200, 2);
	TRY(pk_map_put(root, &k, &v));
	k = pk_bytes("\0\1\2\3\4\5\6\7\10\11\12\13\14\15\16\17\20\21\22\23",
			20);
	v = pk_bytes(vb, 30); TRY(pk_map_put(root, &k, &v));
	k = bigint(bb, 10, 3); v = bigint(bb + 12, 20, 4);
	TRY(pk_map_put(root, &k, &v));
	k = pk_double(2.25); v = text(vb, 57, 5); TRY(pk_map_put(root, &k, &v));
	k = pk_nil(); v = pk_string("nil key", 7); TRY(pk_map_put(root, &k, &v));
	for (int i = 0; i < 30; i++) {
		k = pk_int(i);
		v = i % 2 ? pk_int(i * i) : text(vb, (size_t)(i * 3), (unsigned)i);
		TRY(pk_map_put(root, &k, &v));
	}

	/* typed arrays of several element types; one shared three times */
	TRY(pk_array_new(&shared, pool, PK_ELEM_I32, 0, 16, NULL));
	sh = pk_array_value(shared);
	k = pk_string("shared", 6); TRY(pk_map_put(root, &k, &sh));
	TRY(put_array(root, "a_i8", pool, PK_ELEM_I8, 0, 100));
	TRY(put_array(root, "a_u16", pool, PK_ELEM_U16, 0, 50));
	TRY(put_array(root, "a_f32", pool, PK_ELEM_F32, 0, 40));
	TRY(put_array(root, "a_f64", pool, PK_ELEM_F64, 0, 30));
	TRY(put_array(root, "a_u64", pool, PK_ELEM_U64, 0, 20));
	TRY(put_array(root, "a_bytes", pool, PK_ELEM_BYTES, 5, 20));
	TRY(put_array(root, "a_empty", pool, PK_ELEM_I64, 0, 0));

	TRY(pk_map_new(&big, pool));
	TRY(fill_big(big, &sh));
	k = pk_string("big", 3); v = pk_map_value(big);
	TRY(pk_map_put(root, &k, &v));
	pk_map_close(big);

	TRY(pk_list_new(&list, pool));
	TRY(fill_list(pool, list, &sh));
	k = pk_string("list", 4); v = pk_list_value(list);
	TRY(pk_map_put(root, &k, &v));
	pk_list_close(list);

	/* a log over two chunks, with an empty record */
	TRY(pk_log_new(&log, pool));
	for (int i = 0; i < 40; i++) {
		v = text(vb, (size_t)(i * 5 % 200), (unsigned)i + 100);
		TRY(pk_log_append(log, &v));
	}
	k = pk_string("log", 3); v = pk_log_value(log);
	TRY(pk_map_put(root, &k, &v));
	pk_log_close(log);

	/* a block array over two extents, with a write pending in the map,
	 * a zeroed block and a bad one */
	pk_blocks *blk;
	TRY(pk_blocks_new(&blk, pool, 512, 6));
	TRY(pk_blocks_grow(blk, 3));
	for (int i = 0; i < 9; i++) {
		v = text(vb, (size_t)(100 + i * 40), (unsigned)i + 300);
		TRY(pk_blocks_write(blk, (uint64_t)i, &v));
	}
	TRY(pk_blocks_zero(blk, 4));
	TRY(pk_blocks_set_error(blk, 7));
	v = text(vb, 512, 399);
	TRY(pk_blocks_write(blk, 2, &v));
	k = pk_string("blocks", 6); v = pk_blocks_value(blk);
	TRY(pk_map_put(root, &k, &v));
	pk_blocks_close(blk);

	/* a set over a few segments, of ints and strings */
	pk_set *set;
	TRY(pk_set_new(&set, pool));
	for (int i = 0; i < 150; i++) {
		v = i % 2 ? pk_int(i * 7) : text(vb, (size_t)(i % 40), (unsigned)i);
		TRY(pk_set_add(set, &v));
	}
	k = pk_string("set", 3); v = pk_set_value(set);
	TRY(pk_map_put(root, &k, &v));
	pk_set_close(set);

	/* a record with short, long and container attributes */
	pk_record *rec;
	pk_list *tags;
	TRY(pk_record_new(&rec, pool, "seed.Point", 10));
	for (int i = 0; i < 20; i++) {
		char nm[8];
		k = pk_string(nm, (size_t)snprintf(nm, sizeof(nm), "a%d", i));
		v = i % 3 ? pk_int(i) : text(vb, (size_t)(i * 5), (unsigned)i);
		TRY(pk_record_put(rec, &k, &v));
	}
	TRY(pk_list_new(&tags, pool));
	k = pk_string("tags", 4); v = pk_list_value(tags);
	TRY(pk_record_put(rec, &k, &v));
	v = pk_int(1);
	TRY(pk_list_append(tags, &v));
	pk_list_close(tags);
	k = pk_string("record", 6); v = pk_record_value(rec);
	TRY(pk_map_put(root, &k, &v));
	pk_record_close(rec);

	/* a map of tuple keys holding tuples or frozen sets, some out of
	 * line */
	pk_map *tm;
	uint8_t tin[64], tout[256];
	size_t tl, il;
	TRY(pk_map_new(&tm, pool));
	for (int i = 0; i < 60; i++) {
		pk_value in[2] = { pk_double(i / 4.0), pk_bool(i & 1) };
		if (i % 2)
			TRY(pk_tuple_pack(tin, sizeof(tin), &il, in, 2));
		else
			TRY(pk_frozenset_pack(tin, sizeof(tin), &il, in, 2));
		pk_value items[3] = { pk_int(i), text(vb, (size_t)(i % 50),
				(unsigned)i + 500),
			{ i % 2 ? PK_TUPLE : PK_FROZENSET,
				{ .buf = { tin, il } } } };
		TRY(pk_tuple_pack(tout, sizeof(tout), &tl, items, 3));
		k.type = PK_TUPLE;
		k.u.buf.ptr = tout;
		k.u.buf.len = tl;
		v = pk_int(i);
		TRY(pk_map_put(tm, &k, &v));
	}
	k = pk_string("tuples", 6); v = pk_map_value(tm);
	TRY(pk_map_put(root, &k, &v));
	pk_map_close(tm);

	/* a sorted map of three levels: keys of every ordered kind, some
	 * out of line, values with blobs and containers, inserted out of
	 * order so that leaves split everywhere */
	pk_sorted *sm;
	TRY(pk_sorted_new(&sm, pool));
	for (int j = 0; j < 900; j++) {
		int i = j * 7919 % 900;
		switch (i % 6) {
		case 0: k = pk_int(i); break;
		case 1: k = pk_double(i + 0.25); break;
		case 2: k = text(kb, (size_t)(i % 40), (unsigned)i); break;
		case 3: k = pk_bytes(bb, (size_t)snprintf((char *)bb,
				sizeof(bb), "b%05d", i)); break;
		case 4: {
			pk_value items[2] = { pk_int(i % 7), pk_int(i) };
			TRY(pk_tuple_pack(tout, sizeof(tout), &tl, items, 2));
			k.type = PK_TUPLE;
			k.u.buf.ptr = tout;
			k.u.buf.len = tl;
			break;
		}
		default: k = pk_string(kb, (size_t)snprintf(kb, sizeof(kb),
				"a sorted key long enough to be a blob %d", i));
		}
		v = i % 5 == 0 ? text(vb, 60, (unsigned)i) : i == 7 ? sh :
			pk_int(i);
		TRY(pk_sorted_put(sm, &k, &v));
	}
	k = pk_string("sorted", 6); v = pk_sorted_value(sm);
	TRY(pk_map_put(root, &k, &v));
	pk_sorted_close(sm);

	TRY(fill_nest(pool, root, &sh));
	pk_array_close(shared);
	return 0;
}

int
hx_seed_build(const char *path)
{
	pk_pool *pool;
	pk_map *root;
	PMEMoid oid;
	int rc;

	TRY(pk_pool_create(&pool, path, HX_POOL_SIZE, 0));
	/* a fixed hash key (the map is empty yet), so every run lays the
	 * entries out alike and the corpus is the same */
	pool->root->seed[0] = 0x0123456789abcdefULL;
	pool->root->seed[1] = 0xfedcba9876543210ULL;
	pmemobj_persist(pool->pop, pool->root->seed, sizeof(pool->root->seed));
	/* an object of another user of the pool, which gc must leave alone */
	if (pmemobj_zalloc(pool->pop, &oid, HX_FOREIGN_SIZE, HX_FOREIGN_TN)
			!= 0) {
		pk_pool_close(pool);
		return ENOMEM;
	}
	pmemobj_memset_persist(pool->pop, pmemobj_direct(oid), HX_FOREIGN_BYTE,
			HX_FOREIGN_SIZE);
	rc = pk_pool_root(&root, pool);
	if (rc == 0) {
		rc = fill_root(pool, root);
		pk_map_close(root);
	}
	if (rc == 0) {
		pk_check_report r = PK_CHECK_REPORT_INIT;
		rc = pk_pool_check(&r, pool);
		if (rc != 0)
			fprintf(stderr, "seed: check: %s\n", pk_errormsg());
	}
	pk_pool_close(pool);
	return rc;
}

/* the enumeration of a seed pool's objects and fields */

struct builder {
	struct hx_seed *s;
	size_t cap;
};

static int
add_field(struct builder *b, uint64_t off, unsigned width, int is_off,
		size_t obj, const char *name)
{
	struct hx_seed *s = b->s;

	if (off + width > s->size)
		return 0;
	if (s->nfld == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct hx_field *f = realloc(s->fld, cap * sizeof(*f));
		if (f == NULL)
			return -1;
		s->fld = f;
		b->cap = cap;
	}
	s->fld[s->nfld++] = (struct hx_field){ off, (uint8_t)width,
		(uint8_t)is_off, (uint16_t)obj, name };
	return 0;
}

#define F(o, w, isoff, name) do { \
	if (add_field(b, (o), (w), (isoff), oi, (name)) != 0) return -1; \
} while (0)
#define AT(type, field) (base + offsetof(type, field))
#define W(type, field) sizeof(((type *)0)->field)

static int
obj_hdr_fields(struct builder *b, size_t oi, uint64_t base)
{
	F(AT(struct pk_obj_hdr, magic), 4, 0, "hdr.magic");
	F(AT(struct pk_obj_hdr, version), 2, 0, "hdr.version");
	F(AT(struct pk_obj_hdr, gen), 8, 0, "hdr.gen");
	F(AT(struct pk_obj_hdr, refcount), 8, 0, "hdr.refcount");
	return 0;
}

/* a used slot's key and value fields */
static int
slot_kv_fields(struct builder *b, size_t oi, uint64_t base)
{
	const struct pk_slot *sl = (const void *)(b->s->img + base);

	F(AT(struct pk_slot, ktype), 1, 0, "slot.ktype");
	F(AT(struct pk_slot, vtype), 1, 0, "slot.vtype");
	F(AT(struct pk_slot, klen), 1, 0, "slot.klen");
	F(AT(struct pk_slot, vlen), 1, 0, "slot.vlen");
	F(AT(struct pk_slot, data), 8, (sl->ktype & PK_SLOT_EXT) ||
			sl->ktype >= PK_MAP, "slot.kdata");
	if (sl->klen <= PK_SLOT_DATA - 8)
		F(AT(struct pk_slot, data) + sl->klen, 8,
				(sl->vtype & PK_SLOT_EXT) || sl->vtype >= PK_MAP,
				"slot.vdata");
	return 0;
}

/* a hash table's slot: free slots only get their hash (a free slot that
 * looks used holds garbage) */
static int
slot_fields(struct builder *b, size_t oi, uint64_t base)
{
	const struct pk_slot *sl = (const void *)(b->s->img + base);

	F(AT(struct pk_slot, hash), 4, 0, "slot.hash");
	return sl->hash == 0 ? 0 : slot_kv_fields(b, oi, base);
}

/* a sorted map node's header */
static int
snode_fields(struct builder *b, size_t oi, uint64_t base, const char *magic,
		const char *n, const char *level)
{
	F(AT(struct pk_snode, magic), 4, 0, magic);
	F(AT(struct pk_snode, n), 2, 0, n);
	F(AT(struct pk_snode, level), 2, 0, level);
	return 0;
}

static int
object_fields(struct builder *b, size_t oi)
{
	const struct hx_object *o = &b->s->obj[oi];
	const uint8_t *p = b->s->img + o->off;
	uint64_t base = o->off;

	switch (o->kind) {
	case HX_ROOT:
		F(AT(struct pk_root, magic), 4, 0, "root.magic");
		F(AT(struct pk_root, format), 2, 0, "root.format");
		F(AT(struct pk_root, incompat), 8, 0, "root.incompat");
		F(AT(struct pk_root, pool_size), 8, 0, "root.pool_size");
		F(AT(struct pk_root, seed), 8, 0, "root.seed");
		F(AT(struct pk_root, root_map), 8, 1, "root.root_map");
		F(AT(struct pk_root, dirty), 8, 0, "root.dirty");
		F(AT(struct pk_root, gen_limit), 8, 0, "root.gen_limit");
		return 0;
	case HX_MAP:
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_map_hdr, count), 8, 0, "map.count");
		F(AT(struct pk_map_hdr, nbuckets), 8, 0, "map.nbuckets");
		F(AT(struct pk_map_hdr, modcount), 8, 0, "map.modcount");
		F(AT(struct pk_map_hdr, dir), 8, 1, "map.dir");
		F(AT(struct pk_map_hdr, cls), 8, 1, "map.cls");
		return 0;
	case HX_MAPDIR: {
		const struct pk_mapdir *d = (const void *)p;
		F(AT(struct pk_mapdir, magic), 4, 0, "mapdir.magic");
		F(AT(struct pk_mapdir, cap), 4, 0, "mapdir.cap");
		for (uint32_t i = 0; i < d->cap &&
				sizeof(*d) + (i + 1) * 8 <= o->size; i++)
			F(AT(struct pk_mapdir, seg) + i * 8, 8, 1, "mapdir.seg");
		return 0;
	}
	case HX_SEGMENT: {
		const struct pk_segment *sg = (const void *)p;
		uint64_t n = sg->nbuckets, links = ((n + 7) & ~7ULL) * 8;
		F(AT(struct pk_segment, magic), 4, 0, "segment.magic");
		F(AT(struct pk_segment, nbuckets), 4, 0, "segment.nbuckets");
		if (sizeof(*sg) + links + n * sizeof(struct pk_bucket) > o->size)
			return 0;
		for (uint64_t i = 0; i < n; i++)
			F(AT(struct pk_segment, next) + i * 8, 8, 1,
					"segment.next");
		for (uint64_t i = 0; i < n * PK_BUCKET_SLOTS; i++)
			if (slot_fields(b, oi, base + sizeof(*sg) + links +
					i * sizeof(struct pk_slot)) != 0)
				return -1;
		return 0;
	}
	case HX_OVERFLOW:
		F(AT(struct pk_overflow, magic), 4, 0, "overflow.magic");
		F(AT(struct pk_overflow, next), 8, 1, "overflow.next");
		for (unsigned i = 0; i < PK_OVERFLOW_SLOTS; i++)
			if (slot_fields(b, oi, AT(struct pk_overflow, slot) +
					i * sizeof(struct pk_slot)) != 0)
				return -1;
		return 0;
	case HX_BLOB:
		F(AT(struct pk_blob, magic), 4, 0, "blob.magic");
		F(AT(struct pk_blob, len), 8, 0, "blob.len");
		return 0;
	case HX_LIST: {
		const struct pk_list_hdr *l = (const void *)p;
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_list_hdr, count), 8, 0, "list.count");
		F(AT(struct pk_list_hdr, modcount), 8, 0, "list.modcount");
		F(AT(struct pk_list_hdr, nsegs), 8, 0, "list.nsegs");
		F(AT(struct pk_list_hdr, layout), 8, 0, "list.layout");
		for (uint64_t k = 0; k < PK_LIST_SEGS && k <= l->nsegs; k++)
			F(AT(struct pk_list_hdr, seg) + k * 8, 8, 1, "list.seg");
		return 0;
	}
	case HX_LISTDIR: {
		const struct pk_listdir *d = (const void *)p;
		F(AT(struct pk_listdir, magic), 4, 0, "listdir.magic");
		F(AT(struct pk_listdir, cap), 4, 0, "listdir.cap");
		for (uint32_t i = 0; i < d->cap &&
				sizeof(*d) + (i + 1) * 8 <= o->size; i++)
			F(AT(struct pk_listdir, seg) + i * 8, 8, 1,
					"listdir.seg");
		return 0;
	}
	case HX_LISTSEG: {
		const struct pk_listseg *sg = (const void *)p;
		F(AT(struct pk_listseg, magic), 4, 0, "listseg.magic");
		F(AT(struct pk_listseg, ncells), 8, 0, "listseg.ncells");
		/* a capped segment's cells: one in 32, not to outweigh the
		 * rest of the seed */
		uint64_t step = sg->ncells == PK_LISTSEG_CAP ? 32 : 1;
		for (uint64_t i = 0; i < sg->ncells && sizeof(*sg) +
				(i + 1) * sizeof(struct pk_cell) <= o->size;
				i += step) {
			uint64_t c = AT(struct pk_listseg, cell) +
				i * sizeof(struct pk_cell);
			const struct pk_cell *cell = &sg->cell[i];
			F(c + offsetof(struct pk_cell, type), 1, 0, "cell.type");
			F(c + offsetof(struct pk_cell, len), 1, 0, "cell.len");
			F(c + offsetof(struct pk_cell, data), 8,
					(cell->type & PK_SLOT_EXT) ||
					cell->type >= PK_MAP, "cell.data");
		}
		return 0;
	}
	case HX_ARRAY:
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_array_hdr, elem), 1, 0, "array.elem");
		F(AT(struct pk_array_hdr, width), 4, 0, "array.width");
		F(AT(struct pk_array_hdr, length), 8, 0, "array.length");
		F(AT(struct pk_array_hdr, data), 8, 1, "array.data");
		F(AT(struct pk_array_hdr, modcount), 8, 0, "array.modcount");
		return 0;
	case HX_ARRAYDATA:
		F(AT(struct pk_arraydata, magic), 4, 0, "arraydata.magic");
		F(AT(struct pk_arraydata, bytes), 8, 0, "arraydata.bytes");
		return 0;
	case HX_LOG:
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_log_hdr, count), 8, 0, "log.count");
		F(AT(struct pk_log_hdr, modcount), 8, 0, "log.modcount");
		F(AT(struct pk_log_hdr, nbytes), 8, 0, "log.nbytes");
		F(AT(struct pk_log_hdr, first), 8, 1, "log.first");
		F(AT(struct pk_log_hdr, last), 8, 1, "log.last");
		F(AT(struct pk_log_hdr, base), 8, 0, "log.base");
		return 0;
	case HX_LOGCHUNK: {
		const struct pk_logchunk *c = (const void *)p;
		F(AT(struct pk_logchunk, magic), 4, 0, "logchunk.magic");
		F(AT(struct pk_logchunk, next), 8, 1, "logchunk.next");
		F(AT(struct pk_logchunk, cap), 8, 0, "logchunk.cap");
		F(AT(struct pk_logchunk, pub), 8, 0, "logchunk.pub");
		/* the heads of the first records */
		for (uint64_t at = 0, i = 0; i < 8 && at + PK_LOG_REC_HEAD <=
				(c->pub & 0xFFFFFFFFFFull) &&
				sizeof(*c) + at + PK_LOG_REC_HEAD <= o->size;
				i++) {
			uint32_t len;
			memcpy(&len, c->data + at, 4);
			F(AT(struct pk_logchunk, data) + at, 4, 0,
					"logrec.len");
			F(AT(struct pk_logchunk, data) + at + 4, 4, 0,
					"logrec.check");
			at += PK_LOG_REC_HEAD + len;
		}
		return 0;
	}
	case HX_BLOCKS: {
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_blocks_hdr, bsize), 4, 0, "blocks.bsize");
		F(AT(struct pk_blocks_hdr, stride), 4, 0, "blocks.stride");
		F(AT(struct pk_blocks_hdr, count), 8, 0, "blocks.count");
		F(AT(struct pk_blocks_hdr, map), 8, 1, "blocks.map");
		F(AT(struct pk_blocks_hdr, ext), 8, 1, "blocks.ext");
		F(AT(struct pk_blocks_hdr, nphys), 8, 0, "blocks.nphys");
		for (uint64_t i = 0; i < 2; i++) {
			uint64_t f = AT(struct pk_blocks_hdr, flog) +
				i * sizeof(struct pk_blkflog);
			F(f + offsetof(struct pk_blkflog, seq), 8, 0,
					"blkflog.seq");
			F(f + offsetof(struct pk_blkflog, lba), 8, 0,
					"blkflog.lba");
			F(f + offsetof(struct pk_blkflog, old), 8, 1,
					"blkflog.old");
			F(f + offsetof(struct pk_blkflog, new), 8, 1,
					"blkflog.new");
		}
		return 0;
	}
	case HX_BLKMAP: {
		const struct pk_blkmap *m = (const void *)p;
		F(AT(struct pk_blkmap, magic), 4, 0, "blkmap.magic");
		F(AT(struct pk_blkmap, cap), 8, 0, "blkmap.cap");
		for (uint64_t i = 0; i < 9 && sizeof(*m) + (i + 1) * 8 <=
				o->size; i++)
			F(AT(struct pk_blkmap, ent) + i * 8, 8, 1,
					"blkmap.ent");
		return 0;
	}
	case HX_BLKEXT:
		F(AT(struct pk_blkext, magic), 4, 0, "blkext.magic");
		F(AT(struct pk_blkext, next), 8, 1, "blkext.next");
		F(AT(struct pk_blkext, nblocks), 8, 0, "blkext.nblocks");
		return 0;
	case HX_SORTED:
		if (obj_hdr_fields(b, oi, base) != 0)
			return -1;
		F(AT(struct pk_sorted_hdr, count), 8, 0, "sorted.count");
		F(AT(struct pk_sorted_hdr, modcount), 8, 0, "sorted.modcount");
		F(AT(struct pk_sorted_hdr, root), 8, 1, "sorted.root");
		F(AT(struct pk_sorted_hdr, height), 8, 0, "sorted.height");
		F(AT(struct pk_sorted_hdr, leaf), 8, 0, "sorted.leaf");
		return 0;
	case HX_SLEAF: {
		const struct pk_sleaf *l = (const void *)p;
		if (snode_fields(b, oi, base, "sleaf.magic", "sleaf.n",
				"sleaf.level") != 0)
			return -1;
		for (unsigned i = 0; i < l->hd.n && i < PK_SLEAF_SLOTS; i++)
			if (slot_kv_fields(b, oi, AT(struct pk_sleaf, slot) +
					i * sizeof(struct pk_slot)) != 0)
				return -1;
		return 0;
	}
	case HX_SINNER: {
		const struct pk_sinner *in = (const void *)p;
		if (snode_fields(b, oi, base, "sinner.magic", "sinner.n",
				"sinner.level") != 0)
			return -1;
		for (unsigned i = 0; i < in->hd.n && i < PK_SINNER_KIDS; i++) {
			F(AT(struct pk_sinner, kid) + i * 8, 8, 1, "sinner.kid");
			F(AT(struct pk_sinner, cnt) + i * 8, 8, 0, "sinner.cnt");
			if (i > 0 && slot_kv_fields(b, oi, AT(struct pk_sinner,
					sep) + (i - 1) * sizeof(struct pk_slot))
					!= 0)
				return -1;
		}
		return 0;
	}
	default:
		return 0;
	}
}

static int
kind_of_tn(uint64_t tn)
{
	switch (tn) {
	case PK_TN_MAP: return HX_MAP;
	case PK_TN_SET: return HX_MAP;	/* a map's header */
	case PK_TN_RECORD: return HX_MAP;	/* and a record's */
	case PK_TN_MAPDIR: return HX_MAPDIR;
	case PK_TN_SEGMENT: return HX_SEGMENT;
	case PK_TN_OVERFLOW: return HX_OVERFLOW;
	case PK_TN_BLOB: return HX_BLOB;
	case PK_TN_LIST: return HX_LIST;
	case PK_TN_LISTSEG: return HX_LISTSEG;
	case PK_TN_LISTDIR: return HX_LISTDIR;
	case PK_TN_ARRAY: return HX_ARRAY;
	case PK_TN_ARRAYDATA: return HX_ARRAYDATA;
	case PK_TN_LOG: return HX_LOG;
	case PK_TN_LOGCHUNK: return HX_LOGCHUNK;
	case PK_TN_BLOCKS: return HX_BLOCKS;
	case PK_TN_BLKMAP: return HX_BLKMAP;
	case PK_TN_BLKEXT: return HX_BLKEXT;
	case PK_TN_SORTED: return HX_SORTED;
	case PK_TN_SLEAF: return HX_SLEAF;
	case PK_TN_SINNER: return HX_SINNER;
	default: return HX_FOREIGN;
	}
}

/* read_all -- the whole file at path */
static int
read_all(struct hx_seed *s, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st) != 0)
		goto fail;
	s->size = (size_t)st.st_size;
	if ((s->img = malloc(s->size)) == NULL)
		goto fail;
	while (done < s->size) {
		ssize_t n = read(fd, s->img + done, s->size - done);
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

static int
add_object(struct hx_seed *s, size_t *cap, PMEMoid oid, int kind)
{
	if (s->nobj == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct hx_object *n = realloc(s->obj, c * sizeof(*n));
		if (n == NULL)
			return -1;
		s->obj = n;
		*cap = c;
	}
	s->obj[s->nobj++] = (struct hx_object){ oid.off,
		pmemobj_alloc_usable_size(oid), kind };
	return 0;
}

int
hx_seed_load(struct hx_seed *s, const char *path)
{
	struct builder b = { s, 0 };
	size_t cap = 0;
	PMEMobjpool *pop;
	PMEMoid oid;

	memset(s, 0, sizeof(*s));
	/* the objects, as libpmemobj lists them; open and close leave a
	 * cleanly closed pool as it was, so the bytes are read after */
	if ((pop = pmemobj_open(path, PK_LAYOUT_NAME)) == NULL)
		return -1;
	oid = pmemobj_root(pop, sizeof(struct pk_root));
	s->root_off = oid.off;
	if (add_object(s, &cap, oid, HX_ROOT) != 0)
		goto fail;
	for (PMEMoid o = pmemobj_first(pop); !OID_IS_NULL(o);
			o = pmemobj_next(o))
		if (o.off != s->root_off && add_object(s, &cap, o,
				kind_of_tn(pmemobj_type_num(o))) != 0)
			goto fail;
	pmemobj_close(pop);
	if (read_all(s, path) != 0)
		return -1;
	for (size_t i = 0; i < s->nobj; i++)
		if (object_fields(&b, i) != 0)
			return -1;
	return 0;
fail:
	pmemobj_close(pop);
	return -1;
}

void
hx_seed_free(struct hx_seed *s)
{
	free(s->img);
	free(s->obj);
	free(s->fld);
	memset(s, 0, sizeof(*s));
}

uint64_t
hx_dirty_off(const struct hx_seed *s)
{
	return s->root_off + offsetof(struct pk_root, dirty);
}
