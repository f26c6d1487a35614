/*
 * test_readonly.c -- pools opened with PK_POOL_READONLY: every read and
 * iteration of every kind of container sees what was written; every
 * mutating call fails with PK_EREADONLY and changes nothing, in memory
 * or in the file; files without write permission open (a private copy);
 * an unclean pool opens with its recovered contents and the file
 * unchanged, and a read-write open afterwards recovers it as ever; the
 * file's lock is shared with no other open
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"
#include "layout.h"

#define NMAP 200
#define NLIST 50
#define NARRAY 100
#define NLOG 20
#define NBLOCKS 8
#define NSET 30
#define BIG 2000

/* the open containers of a pool built by build() */
struct ro {
	pk_pool *pool;
	pk_map *root, *map;
	pk_list *list;
	pk_array *array;
	pk_log *log;
	pk_blocks *blocks;
	pk_set *set;
	pk_record *rec;
};

static pk_value
fmt(char *buf, size_t cap, const char *f, int i)
{
	snprintf(buf, cap, f, i);
	return cstr(buf);
}

static void
big_bytes(char *b)
{
	for (int i = 0; i < BIG; i++)
		b[i] = (char)(i * 7 + 1);
}

/* store v under key k of the root map */
static void
root_put(pk_map *root, const char *k, pk_value v)
{
	pk_value key = cstr(k);

	PK_OK(pk_map_put(root, &key, &v));
}

/* build -- a new pool at path holding every kind of container, closed */
static void
build(const char *path)
{
	struct ro r;
	char buf[64], big[BIG], blk[PK_BLOCK_MIN];
	int64_t a[NARRAY];

	PK_OK(pk_pool_create(&r.pool, path, POOL_SIZE, 0));
	PK_OK(pk_pool_root(&r.root, r.pool));
	root_put(r.root, "int", pk_int(42));
	root_put(r.root, "str", cstr("hello"));
	big_bytes(big);
	root_put(r.root, "big", pk_bytes(big, BIG));
	PK_OK(pk_map_new(&r.map, r.pool));
	for (int i = 0; i < NMAP; i++) {
		char kb[32];
		pk_value k = fmt(kb, sizeof(kb), "k%d", i);
		pk_value v = i % 10 ? fmt(buf, sizeof(buf), "v%d", i) :
			pk_bytes(big, 100 + (size_t)i);
		PK_OK(pk_map_put(r.map, &k, &v));
	}
	root_put(r.root, "map", pk_map_value(r.map));
	PK_OK(pk_list_new(&r.list, r.pool));
	for (int i = 0; i < NLIST; i++) {
		pk_value v = pk_int(i * 3);
		PK_OK(pk_list_append(r.list, &v));
	}
	root_put(r.root, "list", pk_list_value(r.list));
	for (int i = 0; i < NARRAY; i++)
		a[i] = (int64_t)i * i;
	PK_OK(pk_array_new(&r.array, r.pool, PK_ELEM_I64, 0, NARRAY, a));
	root_put(r.root, "array", pk_array_value(r.array));
	PK_OK(pk_log_new(&r.log, r.pool));
	for (int i = 0; i < NLOG; i++) {
		pk_value v = fmt(buf, sizeof(buf), "rec%d", i);
		PK_OK(pk_log_append(r.log, &v));
	}
	root_put(r.root, "log", pk_log_value(r.log));
	PK_OK(pk_blocks_new(&r.blocks, r.pool, PK_BLOCK_MIN, NBLOCKS));
	for (int i = 0; i < NBLOCKS; i += 2) {
		memset(blk, 'a' + i, sizeof(blk));
		pk_value v = pk_bytes(blk, sizeof(blk));
		PK_OK(pk_blocks_write(r.blocks, (uint64_t)i, &v));
	}
	root_put(r.root, "blocks", pk_blocks_value(r.blocks));
	PK_OK(pk_set_new(&r.set, r.pool));
	for (int i = 0; i < NSET; i++) {
		pk_value v = pk_int(i * 11);
		PK_OK(pk_set_add(r.set, &v));
	}
	root_put(r.root, "set", pk_set_value(r.set));
	PK_OK(pk_record_new(&r.rec, r.pool, "Point", 5));
	{
		pk_value x = cstr("x"), y = cstr("y"), vx = pk_int(1),
			 vy = pk_double(2.5);
		PK_OK(pk_record_put(r.rec, &x, &vx));
		PK_OK(pk_record_put(r.rec, &y, &vy));
	}
	root_put(r.root, "record", pk_record_value(r.rec));
	pk_map_close(r.map);
	pk_list_close(r.list);
	pk_array_close(r.array);
	pk_log_close(r.log);
	pk_blocks_close(r.blocks);
	pk_set_close(r.set);
	pk_record_close(r.rec);
	pk_map_close(r.root);
	PK_OK(pk_pool_close(r.pool));
}

/* root_get -- the root's value under k */
static pk_value
root_get(pk_map *root, const char *k)
{
	pk_value key = cstr(k), v;

	PK_OK(pk_map_get(&v, root, &key));
	return v;
}

/* ro_open -- open every container of a pool build() made */
static void
ro_open(struct ro *r, pk_pool *pool)
{
	pk_value v;

	r->pool = pool;
	PK_OK(pk_pool_root(&r->root, pool));
	v = root_get(r->root, "map");
	PK_OK(pk_map_open(&r->map, pool, &v));
	v = root_get(r->root, "list");
	PK_OK(pk_list_open(&r->list, pool, &v));
	v = root_get(r->root, "array");
	PK_OK(pk_array_open(&r->array, pool, &v));
	v = root_get(r->root, "log");
	PK_OK(pk_log_open(&r->log, pool, &v));
	v = root_get(r->root, "blocks");
	PK_OK(pk_blocks_open(&r->blocks, pool, &v));
	v = root_get(r->root, "set");
	PK_OK(pk_set_open(&r->set, pool, &v));
	v = root_get(r->root, "record");
	PK_OK(pk_record_open(&r->rec, pool, &v));
}

/* ro_close -- release the handles and close the pool */
static void
ro_close(struct ro *r)
{
	pk_map_close(r->map);
	pk_list_close(r->list);
	pk_array_close(r->array);
	pk_log_close(r->log);
	pk_blocks_close(r->blocks);
	pk_set_close(r->set);
	pk_record_close(r->rec);
	pk_map_close(r->root);
	PK_OK(pk_pool_close(r->pool));
	memset(r, 0, sizeof(*r));
}

/* count_cursor -- the entries a cursor gives before PK_ITEROVER */
static uint64_t
count_cursor(pk_cursor *c)
{
	uint64_t n = 0;
	pk_value k, v;
	int rc;

	while ((rc = pk_cursor_next(&k, &v, c)) == 0)
		n++;
	ck_assert_int_eq(rc, PK_ITEROVER);
	pk_cursor_free(c);
	return n;
}

/* check_contents -- every read of every kind gives what build() wrote */
static void
check_contents(struct ro *r)
{
	char buf[64], kb[32], big[BIG], blk[PK_BLOCK_MIN], got[PK_BLOCK_MIN];
	pk_value v, k;
	pk_cursor *c;
	uint64_t n;
	int64_t a[NARRAY];
	int in;

	big_bytes(big);
	v = root_get(r->root, "int");
	ck_assert_int_eq(v.u.i, 42);
	v = root_get(r->root, "str");
	ck_assert(v.type == PK_STRING && v.u.buf.len == 5 &&
			memcmp(v.u.buf.ptr, "hello", 5) == 0);
	v = root_get(r->root, "big");
	ck_assert(v.u.buf.len == BIG && memcmp(v.u.buf.ptr, big, BIG) == 0);
	k = cstr("missing");
	PK_RC(pk_map_get(&v, r->root, &k), PK_NOTFOUND);
	PK_OK(pk_map_contains(&in, r->root, &k));
	ck_assert_int_eq(in, 0);
	PK_OK(pk_map_length(&n, r->root));
	ck_assert_uint_eq(n, 10);

	PK_OK(pk_map_length(&n, r->map));
	ck_assert_uint_eq(n, NMAP);
	for (int i = 0; i < NMAP; i++) {
		k = fmt(kb, sizeof(kb), "k%d", i);
		PK_OK(pk_map_get(&v, r->map, &k));
		if (i % 10) {
			pk_value want = fmt(buf, sizeof(buf), "v%d", i);
			ck_assert(v.u.buf.len == want.u.buf.len &&
				memcmp(v.u.buf.ptr, buf, v.u.buf.len) == 0);
		} else {
			ck_assert(v.u.buf.len == 100 + (size_t)i &&
				memcmp(v.u.buf.ptr, big, v.u.buf.len) == 0);
		}
		PK_OK(pk_map_contains(&in, r->map, &k));
		ck_assert_int_eq(in, 1);
	}
	PK_OK(pk_map_cursor(&c, r->map));
	ck_assert_uint_eq(count_cursor(c), NMAP);

	PK_OK(pk_list_length(&n, r->list));
	ck_assert_uint_eq(n, NLIST);
	for (int i = 0; i < NLIST; i++) {
		PK_OK(pk_list_get(&v, r->list, i));
		ck_assert_int_eq(v.u.i, i * 3);
	}
	PK_OK(pk_list_cursor(&c, r->list));
	ck_assert_uint_eq(count_cursor(c), NLIST);

	PK_OK(pk_array_length(&n, r->array));
	ck_assert_uint_eq(n, NARRAY);
	PK_OK(pk_array_read(a, r->array, 0, NARRAY));
	for (int i = 0; i < NARRAY; i++)
		ck_assert_int_eq(a[i], (int64_t)i * i);
	PK_OK(pk_array_get(&v, r->array, 7));
	ck_assert_int_eq(v.u.i, 49);
	PK_OK(pk_array_cursor(&c, r->array));
	ck_assert_uint_eq(count_cursor(c), NARRAY);

	PK_OK(pk_log_length(&n, r->log));
	ck_assert_uint_eq(n, NLOG);
	PK_OK(pk_log_cursor(&c, r->log));
	for (int i = 0; i < NLOG; i++) {
		pk_value want = fmt(buf, sizeof(buf), "rec%d", i);
		PK_OK(pk_cursor_next(&k, &v, c));
		ck_assert(v.u.buf.len == want.u.buf.len &&
				memcmp(v.u.buf.ptr, buf, v.u.buf.len) == 0);
	}
	PK_RC(pk_cursor_next(&k, &v, c), PK_ITEROVER);
	pk_cursor_free(c);

	PK_OK(pk_blocks_length(&n, r->blocks));
	ck_assert_uint_eq(n, NBLOCKS);
	for (int i = 0; i < NBLOCKS; i++) {
		memset(blk, i % 2 ? 0 : 'a' + i, sizeof(blk));
		PK_OK(pk_blocks_read(got, sizeof(got), r->blocks,
					(uint64_t)i));
		ck_assert(memcmp(got, blk, sizeof(blk)) == 0);
	}
	PK_OK(pk_blocks_cursor(&c, r->blocks));
	ck_assert_uint_eq(count_cursor(c), NBLOCKS);

	PK_OK(pk_set_length(&n, r->set));
	ck_assert_uint_eq(n, NSET);
	for (int i = 0; i < NSET * 11; i++) {
		k = pk_int(i);
		PK_OK(pk_set_contains(&in, r->set, &k));
		ck_assert_int_eq(in, i % 11 == 0);
	}
	PK_OK(pk_set_cursor(&c, r->set));
	ck_assert_uint_eq(count_cursor(c), NSET);

	PK_OK(pk_record_class(&v, r->rec));
	ck_assert(v.u.buf.len == 5 && memcmp(v.u.buf.ptr, "Point", 5) == 0);
	k = cstr("y");
	PK_OK(pk_record_get(&v, r->rec, &k));
	ck_assert(v.type == PK_DOUBLE && v.u.d == 2.5);
	PK_OK(pk_record_length(&n, r->rec));
	ck_assert_uint_eq(n, 2);
	PK_OK(pk_record_cursor(&c, r->rec));
	ck_assert_uint_eq(count_cursor(c), 2);
}

/* dump_value -- write v, and what it refers to, to f */
static void
dump_value(FILE *f, pk_pool *pool, const pk_value *v, int depth)
{
	pk_cursor *c = NULL;
	pk_value k, e;
	int rc;

	fprintf(f, "<%d:", (int)v->type);
	if (v->type == PK_BOOL || v->type == PK_INT)
		fprintf(f, "%lld", (long long)v->u.i);
	else if (v->type == PK_DOUBLE)
		fprintf(f, "%a", v->u.d);
	else if (v->type >= PK_BYTES && v->type < PK_MAP)
		for (size_t i = 0; i < v->u.buf.len; i++)
			fprintf(f, "%02x", ((const unsigned char *)
						v->u.buf.ptr)[i]);
	if (v->type < PK_MAP || depth > 8) {
		fputc('>', f);
		return;
	}
	switch (v->type) {
#define DUMP_KIND(T, t) case T: { t *h; PK_OK(t##_open(&h, pool, v)); \
		PK_OK(t##_cursor(&c, h)); t##_close(h); break; }
	DUMP_KIND(PK_MAP, pk_map)
	DUMP_KIND(PK_LIST, pk_list)
	DUMP_KIND(PK_ARRAY, pk_array)
	DUMP_KIND(PK_LOG, pk_log)
	DUMP_KIND(PK_BLOCKS, pk_blocks)
	DUMP_KIND(PK_SET, pk_set)
	DUMP_KIND(PK_RECORD, pk_record)
#undef DUMP_KIND
	default:
		ck_abort_msg("type %d", (int)v->type);
	}
	while ((rc = pk_cursor_next(&k, &e, c)) == 0) {
		dump_value(f, pool, &k, depth + 1);
		dump_value(f, pool, &e, depth + 1);
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	pk_cursor_free(c);
	fputc('>', f);
}

/* dump -- everything reachable from the root, as text (free it) */
static char *
dump(pk_pool *pool)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pk_map *root;
	pk_value v;

	ck_assert_ptr_nonnull(f);
	PK_OK(pk_pool_root(&root, pool));
	v = pk_map_value(root);
	dump_value(f, pool, &v, 0);
	pk_map_close(root);
	fclose(f);
	return text;
}

/* the bytes of a file, and when it last changed */
struct file_state {
	uint64_t hash, size;
	struct timespec mtime, ctime;
};

static struct file_state
file_state(const char *path)
{
	struct file_state s = { 1469598103934665603ull, 0, { 0, 0 },
		{ 0, 0 } };
	uint64_t buf[1 << 13];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	/* pool files are whole pages: read in words */
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		ck_assert_int_eq(n % 8, 0);
		for (ssize_t i = 0; i < n / 8; i++)
			s.hash = (s.hash ^ buf[i]) * 1099511628211ull;
		s.size += (uint64_t)n;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	close(fd);
	s.mtime = st.st_mtim;
	s.ctime = st.st_ctim;
	return s;
}

static void
assert_file_unchanged(const struct file_state *was, const char *path)
{
	struct file_state now = file_state(path);

	ck_assert_uint_eq(now.size, was->size);
	ck_assert_msg(now.hash == was->hash, "the file's bytes changed");
	ck_assert(now.mtime.tv_sec == was->mtime.tv_sec &&
			now.mtime.tv_nsec == was->mtime.tv_nsec);
	/* the read-only open itself changes no permission or owner: a
	 * test's own chmod does, so the caller takes the state after it */
	ck_assert(now.ctime.tv_sec == was->ctime.tv_sec &&
			now.ctime.tv_nsec == was->ctime.tv_nsec);
}

static int
open_ro(pk_pool **out, const char *path)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;

	o.flags = PK_POOL_READONLY;
	return pk_pool_open_opts(out, path, &o);
}

/* ---- the mutating calls, each with arguments that would succeed ---- */

static int
w_root_put_new(struct ro *r)
{
	pk_value k = cstr("new"), v = pk_int(1);	/* an atomic insert */
	return pk_map_put(r->root, &k, &v);
}

static int
w_root_put_replace(struct ro *r)
{
	pk_value k = cstr("int"), v = pk_int(43);
	return pk_map_put(r->root, &k, &v);
}

static int
w_root_put_container(struct ro *r)
{
	pk_value k = cstr("again"), v = pk_list_value(r->list);
	return pk_map_put(r->root, &k, &v);
}

static int
w_root_remove(struct ro *r)
{
	pk_value k = cstr("str");	/* an atomic remove */
	return pk_map_remove(r->root, &k);
}

static int
w_root_remove_container(struct ro *r)
{
	pk_value k = cstr("map");
	return pk_map_remove(r->root, &k);
}

static int
w_map_put(struct ro *r)
{
	char big[BIG];
	pk_value k = cstr("k1"), v = pk_bytes(big, sizeof(big));

	memset(big, 1, sizeof(big));
	return pk_map_put(r->map, &k, &v);
}

static int
w_map_remove_missing(struct ro *r)
{
	pk_value k = cstr("nowhere");
	return pk_map_remove(r->map, &k);
}

static int
w_map_clear(struct ro *r)
{
	return pk_map_clear(r->map);
}

static int
w_list_set(struct ro *r)
{
	pk_value v = pk_int(-1);
	return pk_list_set(r->list, 3, &v);
}

static int
w_list_append(struct ro *r)
{
	pk_value v = pk_int(-1);
	return pk_list_append(r->list, &v);
}

static int
w_list_extend(struct ro *r)
{
	pk_value v[2] = { pk_int(-1), pk_int(-2) };
	return pk_list_extend(r->list, v, 2);
}

static int
w_list_insert(struct ro *r)
{
	pk_value v = pk_int(-1);
	return pk_list_insert(r->list, 0, &v);
}

static int
w_list_pop(struct ro *r)
{
	return pk_list_pop(r->list, -1);
}

static int
w_list_remove_range(struct ro *r)
{
	return pk_list_remove_range(r->list, 0, 10);
}

static int
w_list_clear(struct ro *r)
{
	return pk_list_clear(r->list);
}

static int
w_array_write(struct ro *r)
{
	int64_t x[3] = { 9, 9, 9 };
	return pk_array_write(r->array, 0, 3, x);
}

static int
w_array_set(struct ro *r)
{
	pk_value v = pk_int(5);
	return pk_array_set(r->array, 1, &v);
}

static int
w_array_resize(struct ro *r)
{
	return pk_array_resize(r->array, 10);
}

static int
w_array_window(struct ro *r)
{
	void *p = NULL;
	return pk_array_window(&p, r->array, 0, 4);
}

static int
w_log_append(struct ro *r)
{
	pk_value v = cstr("more");
	return pk_log_append(r->log, &v);
}

static int
w_log_extend(struct ro *r)
{
	pk_value v[2] = { cstr("a"), cstr("b") };
	return pk_log_extend(r->log, v, 2);
}

static int
w_log_clear(struct ro *r)
{
	return pk_log_clear(r->log);
}

static int
w_blocks_write(struct ro *r)
{
	char b[PK_BLOCK_MIN];
	pk_value v = pk_bytes(b, sizeof(b));

	memset(b, 'z', sizeof(b));
	return pk_blocks_write(r->blocks, 1, &v);
}

static int
w_blocks_zero(struct ro *r)
{
	return pk_blocks_zero(r->blocks, 0);
}

static int
w_blocks_set_error(struct ro *r)
{
	return pk_blocks_set_error(r->blocks, 2);
}

static int
w_blocks_grow(struct ro *r)
{
	return pk_blocks_grow(r->blocks, 4);
}

static int
w_set_add(struct ro *r)
{
	pk_value v = pk_int(1);
	return pk_set_add(r->set, &v);
}

static int
w_set_discard(struct ro *r)
{
	pk_value v = pk_int(11);
	return pk_set_discard(r->set, &v);
}

static int
w_set_clear(struct ro *r)
{
	return pk_set_clear(r->set);
}

static int
w_record_put(struct ro *r)
{
	pk_value k = cstr("z"), v = pk_int(3);
	return pk_record_put(r->rec, &k, &v);
}

static int
w_record_replace(struct ro *r)
{
	pk_value k = cstr("x"), v = pk_int(3);
	return pk_record_put(r->rec, &k, &v);
}

static int
w_record_remove(struct ro *r)
{
	pk_value k = cstr("x");
	return pk_record_remove(r->rec, &k);
}

/* the new container's handle must stay NULL */
#define W_NEW(name, type, call) \
static int \
name(struct ro *r) \
{ \
	type *h = (type *)r; \
	int rc = call; \
	ck_assert_ptr_null(h); \
	return rc; \
}
W_NEW(w_map_new, pk_map, pk_map_new(&h, r->pool))
W_NEW(w_list_new, pk_list, pk_list_new(&h, r->pool))
W_NEW(w_array_new, pk_array, pk_array_new(&h, r->pool, PK_ELEM_U8, 0, 8,
			NULL))
W_NEW(w_log_new, pk_log, pk_log_new(&h, r->pool))
W_NEW(w_blocks_new, pk_blocks, pk_blocks_new(&h, r->pool, PK_BLOCK_MIN, 2))
W_NEW(w_set_new, pk_set, pk_set_new(&h, r->pool))
W_NEW(w_record_new, pk_record, pk_record_new(&h, r->pool, "C", 1))
#undef W_NEW

static int
w_set_flags(struct ro *r)
{
	pk_value v = pk_map_value(r->map);
	return pk_container_set_flags(r->pool, &v, 0x100);
}

static int
w_tx_begin(struct ro *r)
{
	int rc = pk_tx_begin(r->pool);

	ck_assert_int_eq(pk_tx_depth(r->pool), 0);
	return rc;
}

static int
w_gc(struct ro *r)
{
	uint64_t freed = 0;
	return pk_pool_gc(&freed, r->pool);
}

static int
w_defrag(struct ro *r)
{
	pk_defrag_report rep = PK_DEFRAG_REPORT_INIT;
	return pk_pool_defrag(&rep, r->pool);
}

static int
w_sync(struct ro *r)
{
	return pk_pool_sync(r->pool);
}

/*
 * Every mutating call of the API. "pending" marks the calls that fail
 * with ENOTSUP until their work lands (lib/pending.c): they must refuse a
 * read-only pool with PK_EREADONLY once it has.
 */
static const struct {
	const char *name;
	int (*fn)(struct ro *r);
	int pending;
} writes[] = {
	{ "pk_map_put (root, atomic insert)", w_root_put_new, 0 },
	{ "pk_map_put (root, replace)", w_root_put_replace, 0 },
	{ "pk_map_put (a container)", w_root_put_container, 0 },
	{ "pk_map_remove (root, atomic)", w_root_remove, 0 },
	{ "pk_map_remove (a container)", w_root_remove_container, 0 },
	{ "pk_map_put (large value)", w_map_put, 0 },
	{ "pk_map_remove (missing key)", w_map_remove_missing, 0 },
	{ "pk_map_clear", w_map_clear, 0 },
	{ "pk_map_new", w_map_new, 0 },
	{ "pk_list_set", w_list_set, 0 },
	{ "pk_list_append", w_list_append, 0 },
	{ "pk_list_extend", w_list_extend, 0 },
	{ "pk_list_insert", w_list_insert, 0 },
	{ "pk_list_pop", w_list_pop, 0 },
	{ "pk_list_remove_range", w_list_remove_range, 0 },
	{ "pk_list_clear", w_list_clear, 0 },
	{ "pk_list_new", w_list_new, 0 },
	{ "pk_array_write", w_array_write, 0 },
	{ "pk_array_set", w_array_set, 0 },
	{ "pk_array_resize", w_array_resize, 0 },
	{ "pk_array_window", w_array_window, 0 },
	{ "pk_array_new", w_array_new, 0 },
	{ "pk_log_append", w_log_append, 0 },
	{ "pk_log_extend", w_log_extend, 0 },
	{ "pk_log_clear", w_log_clear, 0 },
	{ "pk_log_new", w_log_new, 0 },
	{ "pk_blocks_write", w_blocks_write, 0 },
	{ "pk_blocks_zero", w_blocks_zero, 0 },
	{ "pk_blocks_set_error", w_blocks_set_error, 0 },
	{ "pk_blocks_grow", w_blocks_grow, 0 },
	{ "pk_blocks_new", w_blocks_new, 0 },
	{ "pk_set_add", w_set_add, 0 },
	{ "pk_set_discard", w_set_discard, 0 },
	{ "pk_set_clear", w_set_clear, 0 },
	{ "pk_set_new", w_set_new, 0 },
	{ "pk_record_put (new attribute)", w_record_put, 0 },
	{ "pk_record_put (replace)", w_record_replace, 0 },
	{ "pk_record_remove", w_record_remove, 0 },
	{ "pk_record_new", w_record_new, 0 },
	{ "pk_container_set_flags", w_set_flags, 0 },
	{ "pk_tx_begin", w_tx_begin, 0 },
	{ "pk_pool_gc", w_gc, 0 },
	{ "pk_pool_defrag", w_defrag, 0 },
	{ "pk_pool_sync", w_sync, 0 },
};

/*
 * refuse_every_write -- run every call of writes[] on the pool at path,
 * opened read-only: each returns PK_EREADONLY with a message saying so,
 * and afterwards the pool reads as before and the file is as it was
 */
static void
refuse_every_write(const char *path)
{
	struct file_state was = file_state(path);
	struct ro r;
	pk_pool *pool;
	char *before, *after;

	PK_OK(open_ro(&pool, path));
	ro_open(&r, pool);
	before = dump(pool);
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		int rc = writes[i].fn(&r);
		if (writes[i].pending && rc == ENOTSUP)
			continue;
		ck_assert_msg(rc == PK_EREADONLY, "%s returned %d (%s), "
				"expected PK_EREADONLY", writes[i].name, rc,
				pk_errormsg());
		ck_assert_msg(strstr(pk_errormsg(), "PK_EREADONLY") != NULL &&
				strstr(pk_errormsg(), "read-only") != NULL,
				"%s: message \"%s\"", writes[i].name,
				pk_errormsg());
	}
	check_contents(&r);
	after = dump(pool);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	ro_close(&r);
	assert_file_unchanged(&was, path);
}

/* ---- the tests, each in a fresh directory (common.h) ---- */

/*
 * A writable file (copy-on-write): every read and iteration sees what a
 * read-write open sees; stats, check, kind stats and prefault work; the
 * file is not touched, not even its times.
 */
START_TEST(test_readonly_read__every_kind)
{
	pk_pool_stats s1 = PK_POOL_STATS_INIT, s2 = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	struct file_state was;
	struct ro r;
	pk_pool *pool;
	char *rw, *ro;
	uint64_t n1, b1, n2, b2, shallow, deep;
	pk_value vm;

	build(test_path);
	PK_OK(pk_pool_open(&pool, test_path));
	rw = dump(pool);
	PK_OK(pk_pool_stats_get(&s1, pool));
	PK_OK(pk_pool_kind_stats(&n1, &b1, pool, PK_MAP));
	PK_OK(pk_pool_close(pool));
	was = file_state(test_path);

	PK_OK(open_ro(&pool, test_path));
	ro_open(&r, pool);
	check_contents(&r);
	ro = dump(pool);
	ck_assert_str_eq(ro, rw);
	PK_OK(pk_pool_stats_get(&s2, pool));
	ck_assert_uint_eq(s2.objects, s1.objects);
	ck_assert_uint_eq(s2.used, s1.used);
	ck_assert_int_eq(s2.unclean, 0);
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
	PK_OK(pk_pool_kind_stats(&n2, &b2, pool, PK_MAP));
	ck_assert_uint_eq(n2, n1);
	ck_assert_uint_eq(b2, b1);
	vm = pk_map_value(r.root);
	PK_OK(pk_container_bytes(&shallow, &deep, pool, &vm));
	ck_assert_uint_gt(deep, shallow);
	PK_OK(pk_pool_prefault(pool));
	check_contents(&r);
	ro_close(&r);
	assert_file_unchanged(&was, test_path);
	free(rw);
	free(ro);
}
END_TEST

/* Every mutating call is refused, copy-on-write and private copy alike. */
START_TEST(test_readonly_write__every_call_refused)
{
	build(test_path);
	refuse_every_write(test_path);		/* copy-on-write */
	ck_assert_int_eq(chmod(test_path, 0444), 0);
	refuse_every_write(test_path);		/* a private copy */
}
END_TEST

/*
 * A file without write permission bits: a read-write open is refused
 * (even for root), a read-only one reads it all, through a private copy,
 * and leaves it as it was.
 */
START_TEST(test_readonly_open__no_write_bits)
{
	struct file_state was;
	struct ro r;
	pk_pool *pool = (pk_pool *)1;

	build(test_path);
	ck_assert_int_eq(chmod(test_path, 0444), 0);
	was = file_state(test_path);
	PK_RC(pk_pool_open(&pool, test_path), EACCES);
	ck_assert_ptr_null(pool);
	ck_assert_ptr_nonnull(strstr(pk_errormsg(), "PK_POOL_READONLY"));
	PK_OK(open_ro(&pool, test_path));
	ro_open(&r, pool);
	check_contents(&r);
	PK_RC(w_root_put_new(&r), PK_EREADONLY);
	ro_close(&r);
	assert_file_unchanged(&was, test_path);
	/* and with write bits again, a read-write open works as before */
	ck_assert_int_eq(chmod(test_path, 0644), 0);
	PK_OK(pk_pool_open(&pool, test_path));
	ro_open(&r, pool);
	check_contents(&r);
	PK_OK(w_root_put_new(&r));
	ro_close(&r);
}
END_TEST

/*
 * A file of another owner that this process may read but not write: as
 * root, a child that has become nobody opens it read-only. The child's
 * exit status says what failed: 0 nothing.
 */
START_TEST(test_readonly_open__other_owner)
{
	struct file_state was;
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return;	/* only root can become another user here */
	build(test_path);
	ck_assert_int_eq(chmod(test_path, 0644), 0);
	/* nobody must reach the file: the run's directory and the test's */
	{
		char dir[sizeof(test_dir)];
		snprintf(dir, sizeof(dir), "%s", test_dir);
		ck_assert_int_eq(chmod(dir, 0755), 0);
		*strrchr(dir, '/') = '\0';
		ck_assert_int_eq(chmod(dir, 0755), 0);
	}
	was = file_state(test_path);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pk_pool *pool;
		pk_map *root;
		pk_value k = cstr("int"), v;
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(10);
		if (pk_pool_open(&pool, test_path) != EACCES)
			_exit(11);
		if (open_ro(&pool, test_path) != 0)
			_exit(12);
		if (pk_pool_root(&root, pool) != 0 ||
		    pk_map_get(&v, root, &k) != 0 || v.u.i != 42)
			_exit(13);
		v = pk_int(1);
		if (pk_map_put(root, &k, &v) != PK_EREADONLY)
			_exit(14);
		pk_map_close(root);
		_exit(pk_pool_close(pool) != 0 ? 15 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"child status %d", status);
	assert_file_unchanged(&was, test_path);
}
END_TEST

/* options: read-only is for opening, and never process-durable (nothing
 * is written); unknown flags are refused */
START_TEST(test_readonly_open__options)
{
	pk_pool_options o = PK_POOL_OPTIONS_INIT;
	pk_pool *pool = (pk_pool *)1;
	int fd;

	o.flags = PK_POOL_READONLY;
	o.size = POOL_SIZE;
	PK_RC(pk_pool_create_opts(&pool, test_path, &o), EINVAL);
	ck_assert_int_ne(access(test_path, F_OK), 0);
	PK_RC(pk_pool_open_opts(&pool, test_path, &o), EINVAL);
	o.size = 0;
	o.flags = PK_POOL_READONLY | PK_POOL_PROCESS_DURABLE;
	PK_RC(pk_pool_open_opts(&pool, test_path, &o), EINVAL);
	o.flags = PK_POOL_READONLY | 0x8000;
	PK_RC(pk_pool_open_opts(&pool, test_path, &o), EINVAL);
	ck_assert_ptr_null(pool);
	PK_RC(open_ro(&pool, test_path), ENOENT);
	PK_RC(open_ro(&pool, test_dir), EISDIR);
	fd = open(test_path, O_CREAT | O_WRONLY, 0444);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "not a pool, not at all", 22), 22);
	close(fd);
	PK_RC(open_ro(&pool, test_path), PK_ENOTPOOL);
}
END_TEST

/*
 * The file's lock: a read-only open shares the file with no other open,
 * read-only or not, whichever came first, by either way of mapping it.
 */
START_TEST(test_readonly_open__lock)
{
	pk_pool *a, *b = (pk_pool *)1;
	int status;
	pid_t pid;

	build(test_path);
	/* copy-on-write first */
	PK_OK(open_ro(&a, test_path));
	PK_RC(pk_pool_open(&b, test_path), EAGAIN);
	ck_assert_ptr_null(b);
	PK_RC(open_ro(&b, test_path), EAGAIN);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(pk_pool_open(&b, test_path) == EAGAIN &&
				open_ro(&b, test_path) == EAGAIN ? 0 : 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	PK_OK(pk_pool_close(a));
	/* read-write first */
	PK_OK(pk_pool_open(&a, test_path));
	PK_RC(open_ro(&b, test_path), EAGAIN);
	ck_assert_int_eq(chmod(test_path, 0444), 0);	/* a private copy */
	PK_RC(open_ro(&b, test_path), EAGAIN);
	PK_OK(pk_pool_close(a));
	/* a private copy first */
	PK_OK(open_ro(&a, test_path));
	PK_RC(open_ro(&b, test_path), EAGAIN);
	ck_assert_int_eq(chmod(test_path, 0644), 0);
	PK_RC(open_ro(&b, test_path), EAGAIN);
	PK_RC(pk_pool_open(&b, test_path), EAGAIN);
	PK_OK(pk_pool_close(a));
	/* all closed: each opens again */
	PK_OK(pk_pool_open(&a, test_path));
	PK_OK(pk_pool_close(a));
	PK_OK(open_ro(&a, test_path));
	PK_OK(pk_pool_close(a));
}
END_TEST

/*
 * libpmemobj's copy-on-write switch is one for the process: a read-only
 * open sets it back, and a read-write open does not trust it (set
 * behind pmemkit's back, as PMEMOBJ_CONF can, it would make the pool's
 * writes vanish at close).
 */
START_TEST(test_readonly_open__cow_switch_not_left_on)
{
	int (*ctl_set)(void *, const char *, void *);
	void *sym = dlsym(RTLD_DEFAULT, "pmemobj_ctl_set");
	const char *other = test_file("other");
	pk_pool *a, *b;
	pk_map *root;
	pk_value k = cstr("kept"), v = pk_int(7), got;
	int on = 1;

	build(test_path);
	PK_OK(pk_pool_create(&b, other, POOL_SIZE, 0));
	PK_OK(pk_pool_close(b));
	PK_OK(open_ro(&a, test_path));		/* copy-on-write */
	PK_OK(pk_pool_open(&b, other));
	PK_OK(pk_pool_root(&root, b));
	PK_OK(pk_map_put(root, &k, &v));
	pk_map_close(root);
	PK_OK(pk_pool_close(b));
	PK_OK(pk_pool_close(a));
	ck_assert_ptr_nonnull(sym);
	memcpy(&ctl_set, &sym, sizeof(sym));
	ck_assert_int_eq(ctl_set(NULL, "copy_on_write.at_open", &on), 0);
	PK_OK(pk_pool_open(&b, other));
	PK_OK(pk_pool_root(&root, b));
	PK_OK(pk_map_get(&got, root, &k));
	ck_assert_int_eq(got.u.i, 7);
	v = pk_int(8);
	PK_OK(pk_map_put(root, &k, &v));
	pk_map_close(root);
	PK_OK(pk_pool_close(b));
	PK_OK(pk_pool_open(&b, other));
	PK_OK(pk_pool_root(&root, b));
	PK_OK(pk_map_get(&got, root, &k));
	ck_assert_int_eq(got.u.i, 8);
	pk_map_close(root);
	PK_OK(pk_pool_close(b));
}
END_TEST

/* a writer killed with the pool open: acknowledged keys w<i> = i, and a
 * transaction of several changes under way at most times */
static void
killed_writer(void *arg)
{
	volatile uint64_t *done = arg;
	pk_pool *pool;
	pk_map *root;
	pk_list *list;
	char kb[32];

	if (pk_pool_open(&pool, test_path) != 0 ||
	    pk_pool_root(&root, pool) != 0)
		_exit(1);
	pk_value lv = root_get(root, "list");
	if (pk_list_open(&list, pool, &lv) != 0)
		_exit(2);
	for (uint64_t i = *done;; i++) {
		pk_value k = fmt(kb, sizeof(kb), "w%d", (int)i);
		pk_value v = pk_int((int64_t)i);
		int rc = pk_tx_begin(pool);
		if (rc == 0)
			rc = pk_map_put(root, &k, &v);
		if (rc == 0)
			rc = pk_list_append(list, &v);
		if (rc == 0)
			rc = pk_tx_commit(pool);
		if (rc == 0) {
			k = fmt(kb, sizeof(kb), "a%d", (int)i);
			rc = pk_map_put(root, &k, &v); /* atomic */
		}
		if (rc != 0)
			_exit(3);
		*done = i + 1;
	}
}

/* the keys the killed writer acknowledged are there */
static uint64_t
check_acknowledged(pk_pool *pool, uint64_t done)
{
	char kb[32];
	pk_map *root;
	pk_list *list;
	pk_value v, lv;
	uint64_t n, len;
	int rc;

	PK_OK(pk_pool_root(&root, pool));
	for (n = 0;; n++) {
		pk_value k = fmt(kb, sizeof(kb), "w%d", (int)n);
		if ((rc = pk_map_get(&v, root, &k)) != 0)
			break;
		ck_assert_int_eq(v.u.i, (int64_t)n);
	}
	ck_assert_int_eq(rc, PK_NOTFOUND);
	ck_assert_uint_ge(n, done);
	ck_assert_uint_le(n, done + 1);
	lv = root_get(root, "list");
	PK_OK(pk_list_open(&list, pool, &lv));
	PK_OK(pk_list_length(&len, list));
	ck_assert_uint_eq(len, NLIST + n);	/* the transactions whole */
	pk_list_close(list);
	pk_map_close(root);
	return n;
}

/*
 * An unclean pool (a writer killed): a read-only open sees the recovered
 * contents, reports the pool unclean and reclaims nothing, and leaves the
 * file as it was, so a second read-only open finds it as unclean; a
 * read-write open afterwards recovers it as ever, to the same contents.
 */
START_TEST(test_readonly_unclean__killed_writer)
{
	volatile uint64_t *done = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned seed = (unsigned)time(NULL);
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	struct file_state was;
	pk_pool *pool;
	char *ro, *ro2, *rw;
	long rounds = test_scale(5);

	ck_assert_ptr_ne((void *)done, MAP_FAILED);
	build(test_path);
	for (long round = 0; round < rounds; round++) {
		test_kill_writer(killed_writer, (void *)done, done, &seed);
		was = file_state(test_path);
		PK_OK(open_ro(&pool, test_path));
		PK_OK(pk_pool_stats_get(&st, pool));
		ck_assert_int_eq(st.unclean, 1);
		ck_assert_uint_eq(st.recovered, 0);
		uint64_t n = check_acknowledged(pool, *done);
		ro = dump(pool);
		PK_OK(pk_pool_close(pool));
		assert_file_unchanged(&was, test_path);
		/* the file still holds the unclean pool */
		PK_OK(open_ro(&pool, test_path));
		PK_OK(pk_pool_stats_get(&st, pool));
		ck_assert_int_eq(st.unclean, 1);
		ro2 = dump(pool);
		ck_assert_str_eq(ro2, ro);
		PK_OK(pk_pool_close(pool));
		assert_file_unchanged(&was, test_path);
		/* a read-write open recovers it as the read-only one saw it */
		PK_OK(pk_pool_open(&pool, test_path));
		PK_OK(pk_pool_stats_get(&st, pool));
		ck_assert_int_eq(st.unclean, 1);
		ck_assert_uint_eq(check_acknowledged(pool, *done), n);
		rw = dump(pool);
		ck_assert_str_eq(rw, ro);
		PK_OK(pk_pool_check(&rep, pool));
		PK_OK(pk_pool_close(pool));
		*done = n;
		free(ro);
		free(ro2);
		free(rw);
	}
	PK_OK(pk_pool_open(&pool, test_path));
	PK_OK(pk_pool_stats_get(&st, pool));
	ck_assert_int_eq(st.unclean, 0);
	PK_OK(pk_pool_close(pool));
	munmap((void *)done, 4096);
}
END_TEST

/*
 * A crash after atomic inserts can leave a map's count off
 * (lib/map_atomic.c): a read-only open sets it right in its private
 * mapping, so lengths and check agree with the entries, and leaves the
 * file's count as it was for the read-write open to set right.
 */
START_TEST(test_readonly_unclean__count_off)
{
	pk_check_report rep = PK_CHECK_REPORT_INIT;
	struct file_state was;
	struct ro r;
	pk_pool *pool;
	pk_value vm;
	uint64_t off, len, wrong = 7, in_file;
	int status, fd;
	pid_t pid;

	build(test_path);
	PK_OK(pk_pool_open(&pool, test_path));
	ro_open(&r, pool);
	vm = pk_map_value(r.map);
	ro_close(&r);
	off = vm.u.ref.off + offsetof(struct pk_map_hdr, count);
	/* a session killed after its count went wrong */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (pk_pool_open(&pool, test_path) != 0)
			_exit(1);
		fd = open(test_path, O_RDWR);
		if (fd < 0 || pwrite(fd, &wrong, 8, (off_t)off) != 8)
			_exit(2);
		kill(getpid(), SIGKILL);
		_exit(3);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	was = file_state(test_path);

	PK_OK(open_ro(&pool, test_path));
	ro_open(&r, pool);
	PK_OK(pk_map_length(&len, r.map));
	ck_assert_uint_eq(len, NMAP);
	check_contents(&r);
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.damaged, 0);
	ro_close(&r);
	assert_file_unchanged(&was, test_path);
	fd = open(test_path, O_RDONLY);
	ck_assert_int_eq(pread(fd, &in_file, 8, (off_t)off), 8);
	close(fd);
	ck_assert_uint_eq(in_file, wrong);

	PK_OK(pk_pool_open(&pool, test_path));
	ro_open(&r, pool);
	PK_OK(pk_map_length(&len, r.map));
	ck_assert_uint_eq(len, NMAP);
	ro_close(&r);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("readonly");
	TCase *tc = tcase_create("read");
	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_readonly_read__every_kind);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_readonly_write__every_call_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_readonly_open__no_write_bits);
	tcase_add_test(tc, test_readonly_open__other_owner);
	tcase_add_test(tc, test_readonly_open__options);
	tcase_add_test(tc, test_readonly_open__lock);
	tcase_add_test(tc, test_readonly_open__cow_switch_not_left_on);
	suite_add_tcase(s, tc);

	tc = tcase_create("unclean");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_readonly_unclean__killed_writer);
	tcase_add_test(tc, test_readonly_unclean__count_off);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(suite());
}
