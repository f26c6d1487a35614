/*
 * test_nospace.c -- every allocation of every multi-step operation fails
 *
 * pk__test_fail_alloc (lib/tx.h) fails the k-th allocation of the
 * next operations with PK_ENOSPACE, as a full pool would. For each
 * operation of a long sequence (map puts that split, add segments, grow
 * the directory, chain overflow buckets and make blobs; removes that
 * merge; list appends, inserts and extends that add segments; arrays made
 * and resized; deep creation in one transaction; gc) the operation is
 * first run in a transaction that is aborted, to count its allocations n,
 * then run n times with allocation k = 1..n failing. Each must return
 * PK_ENOSPACE and leave the pool exactly as it was: the contents of every
 * container (hashed, nested containers included), pk_pool_stats used bytes
 * and objects, and the pk_pool_check report. A remove never fails for want
 * of space: it defers a merge instead. Last, real PK_POOL_MIN_SIZE pools
 * are filled through each container kind until they report PK_ENOSPACE.
 *
 * Each test prints its counts ("nospace: ...") for doc/reliability.md.
 */
#include <stdint.h>
#include <inttypes.h>

#include "common.h"
#include "internal.h"

static pk_pool *pool;
static pk_map *root;

/* ------------------------------------------------------------ state */

static uint64_t
mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, b + i, 8);
		h = mix(h ^ w);
	}
	w = n;
	for (; i < n; i++)
		w = (w << 8) | b[i];
	return mix(h ^ w);
}

static uint64_t hash_value(const pk_value *v, int depth);

static uint64_t
hash_container(const pk_value *v, int depth)
{
	pk_cursor *c;
	pk_value k, e;
	uint64_t h = mix(v->u.ref.off) ^ mix(v->u.ref.gen * 3), sum = 0, n = 0;
	uint16_t flags;
	int rc;

	ck_assert_int_lt(depth, 64);
	PK_OK(pk_container_flags(&flags, pool, v));
	h = mix(h ^ flags ^ ((uint64_t)v->type << 16));
	if (v->type == PK_MAP) {
		pk_map *m;
		PK_OK(pk_map_open(&m, pool, v));
		PK_OK(pk_map_cursor(&c, m));
		/* iteration order is no part of the contents: a sum */
		while ((rc = pk_cursor_next(&k, &e, c)) == 0) {
			sum += mix(hash_value(&k, depth + 1) * 31 +
					hash_value(&e, depth + 1));
			n++;
		}
		pk_map_close(m);
	} else if (v->type == PK_LIST) {
		pk_list *l;
		PK_OK(pk_list_open(&l, pool, v));
		PK_OK(pk_list_cursor(&c, l));
		while ((rc = pk_cursor_next(&k, &e, c)) == 0) {
			sum = mix(sum ^ hash_value(&e, depth + 1));
			n++;
		}
		pk_list_close(l);
	} else {
		pk_array *a;
		const void *p;
		size_t len, width;
		pk_elem el;
		PK_OK(pk_array_open(&a, pool, v));
		PK_OK(pk_array_type(&el, &width, a));
		PK_OK(pk_array_data(&p, &len, a));
		sum = hash_bytes(mix(el) ^ width, p, len);
		n = len;
		pk_array_close(a);
		return mix(h ^ sum ^ mix(n));
	}
	PK_RC(rc, PK_ITEROVER);
	pk_cursor_free(c);
	return mix(h ^ sum ^ mix(n));
}

static uint64_t
hash_value(const pk_value *v, int depth)
{
	switch (v->type) {
	case PK_BYTES:
	case PK_STRING:
	case PK_BIGINT:
		return hash_bytes(v->type, v->u.buf.ptr, v->u.buf.len);
	case PK_MAP:
	case PK_LIST:
	case PK_ARRAY:
		return hash_container(v, depth);
	default:
		return mix(v->type ^ mix((uint64_t)v->u.i));
	}
}

/* what must not change when an operation fails */
struct state {
	uint64_t hash;		/* every container from the root, hashed */
	uint64_t used, objects;	/* pk_pool_stats */
	int check_rc;
	pk_check_report rep;
};

static void
capture(struct state *s)
{
	pk_value r = pk_map_value(root);
	pk_pool_stats st = PK_POOL_STATS_INIT;

	memset(s, 0, sizeof(*s));
	s->hash = hash_value(&r, 0);
	PK_OK(pk_pool_stats_get(&st, pool));
	s->used = st.used;
	s->objects = st.objects;
	s->rep.version = PK_CHECK_REPORT_VERSION;
	s->check_rc = pk_pool_check(&s->rep, pool);
}

static void
assert_same(const struct state *a, const struct state *b, const char *what,
		unsigned long k)
{
	ck_assert_msg(a->hash == b->hash, "%s, allocation %lu failed: the "
			"contents changed", what, k);
	ck_assert_msg(a->used == b->used && a->objects == b->objects,
			"%s, allocation %lu failed: used %" PRIu64 " -> %"
			PRIu64 ", objects %" PRIu64 " -> %" PRIu64, what, k,
			a->used, b->used, a->objects, b->objects);
	ck_assert_msg(a->check_rc == b->check_rc &&
			memcmp(&a->rep, &b->rep, sizeof(a->rep)) == 0,
			"%s, allocation %lu failed: pk_pool_check changed",
			what, k);
}

static void
assert_healthy(void)
{
	pk_check_report r = PK_CHECK_REPORT_INIT;
	int rc = pk_pool_check(&r, pool);

	ck_assert_msg(rc == 0, "pk_pool_check: %s: %llu leaked, %llu "
			"dangling, %llu refcounts, %llu damaged", pk_errormsg(),
			(unsigned long long)r.leaked,
			(unsigned long long)r.dangling,
			(unsigned long long)r.refcounts,
			(unsigned long long)r.damaged);
	ck_assert_uint_eq(r.objects, r.reachable);
}

static void
setup(void)
{
	test_setup();
	PK_OK(pk_pool_create(&pool, test_path, POOL_SIZE, 0));
	PK_OK(pk_pool_root(&root, pool));
}

static void
teardown(void)
{
	pk__test_fail_alloc = 0;
	if (pool != NULL && pk_tx_depth(pool) > 0)
		pk_tx_abort(pool);
	pk_map_close(root);
	pk_pool_close(pool);
	root = NULL;
	pool = NULL;
	test_teardown();
}

/* ------------------------------------------------------------ driver */

/* an operation of a sequence: what it does, given its index */
typedef int (*op_fn)(uint64_t i);

#define NO_FAIL ((unsigned long)1 << 40)

/* allocations op(i) makes: run in a transaction that is then aborted */
static unsigned long
count_allocs(op_fn op, uint64_t i)
{
	unsigned long n;
	int rc;

	PK_OK(pk_tx_begin(pool));
	pk__test_fail_alloc = NO_FAIL;
	rc = op(i);
	n = NO_FAIL - pk__test_fail_alloc;
	pk__test_fail_alloc = 0;
	ck_assert_msg(rc == 0, "op %llu: %s (%s)", (unsigned long long)i,
			pk_strerror(rc), pk_errormsg());
	PK_OK(pk_tx_abort(pool));
	return n;
}

/* counts for the report */
struct tally {
	const char *name;
	uint64_t ops;		/* operations run */
	uint64_t multi;		/* of them, with at least one allocation */
	uint64_t points;	/* injection points: failed allocations */
	uint64_t absorbed;	/* failures absorbed (the op succeeded) */
	unsigned long most;	/* most allocations of one operation */
};

static void
tally_print(const struct tally *t)
{
	printf("nospace: %-22s ops %6" PRIu64 ", with allocations %5" PRIu64
			", injection points %5" PRIu64 " (absorbed %" PRIu64
			"), most in one op %lu\n", t->name, t->ops, t->multi,
			t->points, t->absorbed, t->most);
	fflush(stdout);
}

/*
 * sweep_stride -- which operations a sweep injects failures into: all of
 * them, but under a $PK_TEST_SCALE below 0.25 (the valgrind variant's,
 * where a sweep of every one takes minutes) one in 0.25/scale
 */
static uint64_t
sweep_stride(void)
{
	long s = test_scale(1000);

	return s >= 250 ? 1 : (uint64_t)(250 / s);
}

/*
 * sweep -- run op(i) for i in [from, to): each with every allocation
 * failing in turn, then for real. absorb: the operation must succeed
 * despite a failed allocation (removes); its effect is then checked by
 * done(i) inside a transaction that is aborted, so every point is tried
 * from the same state.
 */
static void
sweep(struct tally *t, op_fn op, uint64_t from, uint64_t to, int absorb,
		void (*done)(uint64_t i))
{
	struct state before, after;
	uint64_t stride = sweep_stride();

	for (uint64_t i = from; i < to; i++) {
		unsigned long n = i % stride == 0 ? count_allocs(op, i) : 0;
		t->ops++;
		if (n == 0) {
			PK_OK(op(i));
			continue;
		}
		t->multi++;
		if (n > t->most)
			t->most = n;
		capture(&before);
		for (unsigned long k = 1; k <= n; k++) {
			int rc;
			if (absorb)
				PK_OK(pk_tx_begin(pool));
			pk__test_fail_alloc = k;
			rc = op(i);
			ck_assert_msg(pk__test_fail_alloc == 0, "op %llu made "
					"fewer than %lu allocations",
					(unsigned long long)i, k);
			pk__test_fail_alloc = 0;
			t->points++;
			if (absorb) {
				ck_assert_msg(rc == 0, "op %llu, allocation "
						"%lu failed: %s", (unsigned long
						long)i, k, pk_strerror(rc));
				t->absorbed++;
				done(i);
				PK_OK(pk_tx_abort(pool));
			} else {
				ck_assert_msg(rc == PK_ENOSPACE, "op %llu, "
						"allocation %lu failed: %s (%s)",
						(unsigned long long)i, k,
						pk_strerror(rc), pk_errormsg());
			}
			capture(&after);
			assert_same(&before, &after, t->name, k);
		}
		/* absorbed for real once: the pool stays healthy */
		if (absorb)
			pk__test_fail_alloc = n;
		PK_OK(op(i));
		pk__test_fail_alloc = 0;
		if (absorb) {
			done(i);
			assert_healthy();
		}
	}
}

/*
 * end_failed -- end a user transaction in which a step failed with rc, as
 * a user would, after checking the documented rule: the failure aborted
 * the transaction (a write now says PK_EABORTED, and so does the commit)
 * unless the failed step had written nothing (then it is still usable,
 * and the user aborts it)
 */
static uint64_t kept, aborted;

static int
end_failed(int rc)
{
	pk_value k = cstr("probe"), v = pk_int(1);
	int probe = pk_map_put(root, &k, &v);

	ck_assert_msg(probe == PK_EABORTED || probe == 0, "after a failed "
			"step: %s", pk_strerror(probe));
	if (probe == PK_EABORTED) {
		aborted++;
		PK_RC(pk_tx_commit(pool), PK_EABORTED);
	} else {
		kept++;
		PK_OK(pk_tx_abort(pool));
	}
	return rc;
}

/* atomically -- end a user transaction around a compound operation */
static int
atomically(int rc)
{
	return rc == 0 ? pk_tx_commit(pool) : end_failed(rc);
}

/* ------------------------------------------------------------ maps */

static pk_map *cm;	/* the container under test, stored in the root */
static pk_list *cl;
static pk_array *ca;

static void
store(const char *name, pk_value v)
{
	pk_value k = cstr(name);
	PK_OK(pk_map_put(root, &k, &v));
}

static char big[8192];

static void
fill_big(void)
{
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + (i * 7 + i / 26) % 26);
}

/* key i: mostly ints, every 5th a string long enough for a blob */
static pk_value
key_of(uint64_t i, char *buf)
{
	if (i % 5 == 4) {
		int n = snprintf(buf, 100, "key %" PRIu64 " %.60s", i, big);
		return pk_string(buf, (size_t)n);
	}
	return pk_int((int64_t)(i * 2654435761u));
}

/* value i: inline, or every 3rd a blob of a size that varies */
static pk_value
val_of(uint64_t i)
{
	if (i % 3 == 2)
		return pk_bytes(big + i % 17, 40 + i % 300);
	return pk_int((int64_t)i);
}

static int
map_put_op(uint64_t i)
{
	char buf[100];
	pk_value k = key_of(i, buf), v = val_of(i);
	return pk_map_put(cm, &k, &v);
}

static uint64_t remove_order(uint64_t i, uint64_t n)
{
	/* a fixed permutation of [0, n): n is odd */
	return (i * 7919) % n;
}

#define MAP_N 1301	/* > 640: the directory grows past 8 segments */

static int
map_remove_op(uint64_t i)
{
	char buf[100];
	pk_value k = key_of(remove_order(i, MAP_N), buf);
	return pk_map_remove(cm, &k);
}

static void
map_removed(uint64_t i)
{
	char buf[100];
	pk_value k = key_of(remove_order(i, MAP_N), buf), v;
	uint64_t n;

	PK_RC(pk_map_get(&v, cm, &k), PK_NOTFOUND);
	PK_OK(pk_map_length(&n, cm));
	ck_assert_uint_eq(n, MAP_N - i - 1);
}

static struct pk_map_hdr *
map_hdr(pk_map *m)
{
	return (struct pk_map_hdr *)(pool->base + m->h.off);
}

START_TEST(test_nospace_map__put_and_remove)
{
	struct tally tp = { "map put", 0, 0, 0, 0, 0 };
	struct tally tr = { "map remove", 0, 0, 0, 0, 0 };
	struct pk_mapdir *d;

	fill_big();
	PK_OK(pk_map_new(&cm, pool));
	store("c", pk_map_value(cm));
	sweep(&tp, map_put_op, 0, MAP_N, 0, NULL);
	/* the puts grew the directory: removes will shrink it */
	d = (struct pk_mapdir *)(pool->base + map_hdr(cm)->dir);
	ck_assert_uint_gt(d->cap, 8);
	assert_healthy();
	tally_print(&tp);
	/* replacing values: blobs made and freed */
	memset(&tp, 0, sizeof(tp));
	tp.name = "map put (replace)";
	sweep(&tp, map_put_op, 0, 300, 0, NULL);
	tally_print(&tp);
	sweep(&tr, map_remove_op, 0, MAP_N, 1, map_removed);
	ck_assert_uint_eq(map_hdr(cm)->nbuckets, 1);
	tally_print(&tr);
	assert_healthy();
	pk_map_close(cm);
}
END_TEST

START_TEST(test_nospace_map__new_and_clear)
{
	struct tally t = { "map new/clear", 0, 0, 0, 0, 0 };
	struct state before, after;
	int rc;

	fill_big();
	/* pk_map_new: three allocations, each failing in turn */
	capture(&before);
	for (unsigned long k = 1;; k++) {
		pk_map *m = (pk_map *)&m;
		pk__test_fail_alloc = k;
		rc = pk_map_new(&m, pool);
		if (pk__test_fail_alloc != 0) {
			pk__test_fail_alloc = 0;
			PK_OK(rc);
			pk_map_close(m);
			break;
		}
		t.points++;
		PK_RC(rc, PK_ENOSPACE);
		ck_assert_ptr_null(m);
		capture(&after);
		assert_same(&before, &after, "map new", k);
	}
	t.ops++;
	t.multi++;
	t.most = t.points;
	PK_OK(pk_pool_gc(NULL, pool));
	/* pk_map_clear of a map whose directory grew: it shrinks it */
	PK_OK(pk_map_new(&cm, pool));
	store("c", pk_map_value(cm));
	for (uint64_t i = 0; i < MAP_N; i++)
		PK_OK(map_put_op(i));
	capture(&before);
	for (unsigned long k = 1;; k++) {
		pk__test_fail_alloc = k;
		rc = pk_map_clear(cm);
		if (pk__test_fail_alloc != 0) {
			pk__test_fail_alloc = 0;
			PK_OK(rc);
			break;
		}
		pk__test_fail_alloc = 0;
		t.points++;
		PK_RC(rc, PK_ENOSPACE);
		capture(&after);
		assert_same(&before, &after, "map clear", k);
	}
	t.ops++;
	t.multi++;
	assert_healthy();
	tally_print(&t);
	pk_map_close(cm);
}
END_TEST

/* ------------------------------------------------------------ lists */

static pk_value
list_val(uint64_t i)
{
	/* inline up to 14 bytes, else a blob */
	if (i % 4 == 3)
		return pk_string(big + i % 11, 15 + i % 200);
	return pk_int((int64_t)i);
}

static int
list_op(uint64_t i)
{
	pk_value v = list_val(i), vs[12];

	switch (i % 10) {
	case 0: case 1: case 2: case 3:
		return pk_list_append(cl, &v);
	case 4:
		return pk_list_insert(cl, (int64_t)(i % 7), &v);
	case 5:
		for (int j = 0; j < 12; j++)
			vs[j] = list_val(i + (uint64_t)j);
		return pk_list_extend(cl, vs, 12);
	case 6:
		return pk_list_set(cl, -(int64_t)(i % 5) - 1, &v);
	case 7:
		return pk_list_insert(cl, -1, &v);
	case 8:
		return pk_list_pop(cl, (int64_t)(i % 3));
	default:
		/* a nested list, stored in the list: in one transaction */
		{
			pk_list *l;
			int rc = pk_tx_begin(pool);
			if (rc != 0)
				return rc;
			if ((rc = pk_list_new(&l, pool)) != 0)
				return atomically(rc);
			pk_value lv = pk_list_value(l);
			rc = pk_list_append(l, &v);
			if (rc == 0)
				rc = pk_list_append(cl, &lv);
			pk_list_close(l);
			return atomically(rc);
		}
	}
}

START_TEST(test_nospace_list__mixed)
{
	struct tally t = { "list ops", 0, 0, 0, 0, 0 };
	uint64_t n;

	fill_big();
	PK_OK(pk_list_new(&cl, pool));
	store("c", pk_list_value(cl));
	/* case 9 makes a list, then appends: two operations, done apart */
	sweep(&t, list_op, 0, 1500, 0, NULL);
	PK_OK(pk_list_length(&n, cl));
	ck_assert_uint_gt(n, 2000);
	assert_healthy();
	tally_print(&t);
	pk_list_close(cl);
}
END_TEST

/* ------------------------------------------------------------ arrays */

static int
array_op(uint64_t i)
{
	static const uint64_t lens[] = { 0, 1, 7, 1000, 0, 65536, 3, 200000 };
	uint64_t len = lens[i % 8] + i;

	if (i % 2 == 0)
		return pk_array_resize(ca, len);
	/* a new array, stored in the list at "c": in one transaction */
	pk_array *a;
	int rc = pk_tx_begin(pool);
	if (rc != 0)
		return rc;
	rc = pk_array_new(&a, pool, i % 4 == 1 ? PK_ELEM_F64 :
			PK_ELEM_BYTES, i % 4 == 1 ? 0 : 3, len % 5000, NULL);
	if (rc != 0)
		return atomically(rc);
	pk_value v = pk_array_value(a);
	rc = pk_list_append(cl, &v);
	pk_array_close(a);
	return atomically(rc);
}

START_TEST(test_nospace_array__new_and_resize)
{
	struct tally t = { "array new/resize", 0, 0, 0, 0, 0 };
	pk_value v;

	PK_OK(pk_list_new(&cl, pool));
	store("c", pk_list_value(cl));
	PK_OK(pk_array_new(&ca, pool, PK_ELEM_I32, 0, 10, NULL));
	v = pk_array_value(ca);
	PK_OK(pk_list_append(cl, &v));
	sweep(&t, array_op, 0, 200, 0, NULL);
	assert_healthy();
	tally_print(&t);
	pk_array_close(ca);
	pk_list_close(cl);
	PK_OK(pk_pool_gc(NULL, pool));
	assert_healthy();
}
END_TEST

/* ------------------------------------------------- one transaction */

/*
 * nested -- a tree three levels deep made in one transaction: maps in
 * maps, lists of blobs, arrays. A failed step ends it as a user would,
 * after checking the documented rule: the transaction is aborted (later
 * operations say PK_EABORTED) unless the failed step had changed nothing.
 */
static int
nested_steps(void)
{
	pk_map *m = NULL, *m2 = NULL;
	pk_list *l = NULL;
	pk_array *a = NULL;
	pk_value k, v;
	int rc;

#define STEP(expr) do { if ((rc = (expr)) != 0) goto out; } while (0)
	STEP(pk_map_new(&m, pool));
	k = cstr("tree"); v = pk_map_value(m);
	STEP(pk_map_put(root, &k, &v));
	for (int i = 0; i < 3; i++) {
		STEP(pk_list_new(&l, pool));
		k = pk_int(i); v = pk_list_value(l);
		STEP(pk_map_put(m, &k, &v));
		for (int j = 0; j < 30; j++) {
			v = list_val((uint64_t)j);
			STEP(pk_list_append(l, &v));
		}
		STEP(pk_map_new(&m2, pool));
		v = pk_map_value(m2);
		STEP(pk_list_insert(l, 3, &v));
		for (int j = 0; j < 40; j++) {
			k = pk_int(j); v = val_of((uint64_t)j);
			STEP(pk_map_put(m2, &k, &v));
		}
		STEP(pk_array_new(&a, pool, PK_ELEM_U16, 0, 1000 * (i + 1),
				NULL));
		v = pk_array_value(a);
		k = cstr("array");
		STEP(pk_map_put(m2, &k, &v));
		pk_list_close(l);
		pk_map_close(m2);
		pk_array_close(a);
		l = NULL;
		m2 = NULL;
		a = NULL;
	}
#undef STEP
out:
	pk_map_close(m);
	pk_map_close(m2);
	pk_list_close(l);
	pk_array_close(a);
	return rc;
}

static int
nested_op(uint64_t i)
{
	int rc;
	(void)i;

	if ((rc = pk_tx_begin(pool)) != 0)
		return rc;
	rc = atomically(nested_steps());
	ck_assert_int_eq(pk_tx_depth(pool), 0);
	return rc;
}

START_TEST(test_nospace_tx__nested_creation)
{
	struct tally t = { "nested in one tx", 0, 0, 0, 0, 0 };
	struct state before, after;
	unsigned long n;
	int rc;

	fill_big();
	/* count: run once, then remove the tree */
	pk__test_fail_alloc = NO_FAIL;
	PK_OK(nested_op(0));
	n = NO_FAIL - pk__test_fail_alloc;
	pk__test_fail_alloc = 0;
	assert_healthy();
	PK_OK(pk_map_remove(root, &(pk_value){ .type = PK_STRING,
			.u.buf = { "tree", 4 } }));
	capture(&before);
	for (unsigned long k = 1; k <= n; k++) {
		pk__test_fail_alloc = k;
		rc = nested_op(0);
		ck_assert(pk__test_fail_alloc == 0);
		pk__test_fail_alloc = 0;
		PK_RC(rc, PK_ENOSPACE);
		capture(&after);
		assert_same(&before, &after, t.name, k);
		t.points++;
	}
	PK_OK(nested_op(0));
	t.ops = 1;
	t.multi = 1;
	t.most = n;
	assert_healthy();
	tally_print(&t);
	printf("nospace: nested in one tx: failed steps that aborted the "
			"transaction %" PRIu64 ", that left it usable %" PRIu64
			"\n", aborted, kept);
	fflush(stdout);
}
END_TEST

/* gc frees and corrects counts but allocates nothing in the pool */
START_TEST(test_nospace_gc__allocates_nothing)
{
	pk_map *m;
	pk_list *l;
	uint64_t freed;
	pk_value v = pk_int(1);

	for (int i = 0; i < 50; i++) {
		PK_OK(pk_map_new(&m, pool));
		PK_OK(pk_list_new(&l, pool));
		PK_OK(pk_list_append(l, &v));
		pk_map_close(m);
		pk_list_close(l);
	}
	pk__test_fail_alloc = 1;
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_eq(pk__test_fail_alloc, 1);
	pk__test_fail_alloc = 0;
	ck_assert_uint_ge(freed, 100);
	assert_healthy();
	printf("nospace: gc                     ops 1, allocations 0, freed %"
			PRIu64 "\n", freed);
}
END_TEST

/* ------------------------------------------------- real small pools */

static int varied;	/* the pool has been full once */
static uint64_t model;	/* what the container should count */

/* objects pk_pool_stats counts that pk_pool_check does not (the root) */
static uint64_t
foreign_objects(void)
{
	pk_pool_stats st = PK_POOL_STATS_INIT;
	pk_check_report rep = PK_CHECK_REPORT_INIT;

	PK_OK(pk_pool_stats_get(&st, pool));
	PK_OK(pk_pool_check(&rep, pool));
	ck_assert_uint_eq(rep.objects, rep.reachable);
	return st.objects - rep.objects;
}

/*
 * fill -- run op(i) for i = 0, 1, ... on a PK_POOL_MIN_SIZE pool until
 * it fails with PK_ENOSPACE. Captures walk the whole pool, so the first
 * failure is checked without one: the pool is healthy, every object is
 * reachable and no other object appeared. Then the pool is kept full with
 * more operations (op(i) varies its sizes), each failure compared with the
 * state captured just before it, until `want` failures.
 */
static void
fill(const char *name, op_fn op, uint64_t want, uint64_t (*count)(void))
{
	struct state before, after;
	uint64_t i, fails = 0, ok = 0, extra = foreign_objects(), first = 0;

	varied = 0;
	model = 0;
	pk_pool_stats st = PK_POOL_STATS_INIT;
	int rc;

	for (i = 0; fails < want; i++) {
		ck_assert_msg(i < 10000000, "%s: never full", name);
		if (first)
			capture(&before);
		rc = op(i);
		if (rc == 0) {
			ok++;
			if (first && getenv("PK_NOSPACE_DEBUG")) {
				printf("op %llu ok\n", (unsigned long long)i);
				assert_healthy();
			}
			continue;
		}
		ck_assert_msg(rc == PK_ENOSPACE, "%s op %llu: %s", name,
				(unsigned long long)i, pk_strerror(rc));
		if (!first) {
			first = i + 1;
			varied = 1;
			if (getenv("PK_NOSPACE_DEBUG"))
				printf("%s: %s\n", name, pk_errormsg());
			ck_assert_uint_eq(foreign_objects(), extra);
			ck_assert_uint_eq(count(), model);
			continue;
		}
		fails++;
		capture(&after);
		assert_same(&before, &after, name, 0);
	}
	assert_healthy();
	PK_OK(pk_pool_stats_get(&st, pool));
	printf("nospace: full pool, %-6s first PK_ENOSPACE at op %" PRIu64
			" with %" PRIu64 " of %" PRIu64 " bytes used; then %"
			PRIu64 " ops, %" PRIu64 " failures checked\n", name,
			first - 1, st.used, st.size, i - first, fails);
	fflush(stdout);
}

/*
 * make_room -- remove(i) until add() succeeds. On a full pool even a
 * remove may find no room for its undo log: it must then fail with
 * PK_ENOSPACE and change nothing.
 */
static void
make_room(const char *name, op_fn remove, int (*add)(void))
{
	struct state before, after;
	uint64_t i, refused = 0;
	int rc;

	for (i = 0; (rc = add()) != 0; i++) {
		PK_RC(rc, PK_ENOSPACE);
		ck_assert_msg(i < 1000, "%s: no room made", name);
		capture(&before);
		rc = remove(i);
		if (rc == 0)
			continue;
		PK_RC(rc, PK_ENOSPACE);
		refused++;
		capture(&after);
		assert_same(&before, &after, name, 0);
	}
	assert_healthy();
	printf("nospace: full pool, %-6s %" PRIu64 " removes made room, %"
			PRIu64 " of them refused for want of undo log space\n",
			name, i, refused);
	fflush(stdout);
}

static void
setup_small(void)
{
	test_setup();
	PK_OK(pk_pool_create(&pool, test_path, PK_POOL_MIN_SIZE, 0));
	PK_OK(pk_pool_root(&root, pool));
	fill_big();
}

/* the first failure found with one size, then sizes smaller and larger */
static size_t
fill_size(uint64_t i, size_t base)
{
	static const size_t f[] = { 1, 2, 1, 4, 1, 8, 1, 16, 1, 3 };
	return !varied || i % 2 == 0 ? base : base * f[(i / 2) % 10] / 4 + 15;
}

static uint64_t
map_count(void)
{
	uint64_t n;
	PK_OK(pk_map_length(&n, cm));
	return n;
}

static uint64_t
list_count(void)
{
	uint64_t n;
	PK_OK(pk_list_length(&n, cl));
	return n;
}

static uint64_t
array_count(void)
{
	return list_count() - 1;
}

static int
fill_map_op(uint64_t i)
{
	pk_value k = pk_int((int64_t)i), v = pk_bytes(big, fill_size(i, 1000));
	int rc = pk_map_put(cm, &k, &v);
	model += rc == 0;
	return rc;
}

static int
fill_map_remove(uint64_t i)
{
	pk_value k = pk_int((int64_t)i);
	return pk_map_remove(cm, &k);
}

static int
fill_map_add(void)
{
	pk_value k = cstr("new"), v = pk_bytes(big, 1000);
	return pk_map_put(cm, &k, &v);
}

static int
fill_list_op(uint64_t i)
{
	pk_value v = pk_string(big, fill_size(i, 200));
	int rc = pk_list_append(cl, &v);
	model += rc == 0;
	return rc;
}

static int
fill_list_remove(uint64_t i)
{
	/* from the end: the fewest cells move */
	(void)i;
	return pk_list_pop(cl, -1);
}

static int
fill_list_add(void)
{
	pk_value v = pk_string(big, 2000);
	return pk_list_append(cl, &v);
}

static int
fill_array_op(uint64_t i)
{
	/* mostly new arrays in the list, now and then a resize */
	if (i % 7 == 6)
		return pk_array_resize(ca, fill_size(i, 4000) * 3);
	pk_array *a;
	int rc = pk_tx_begin(pool);
	if (rc != 0)
		return rc;
	rc = pk_array_new(&a, pool, PK_ELEM_U8, 0, fill_size(i, 4000), NULL);
	if (rc != 0)
		return atomically(rc);
	pk_value v = pk_array_value(a);
	rc = pk_list_append(cl, &v);
	pk_array_close(a);
	if ((rc = atomically(rc)) == 0)
		model++;
	return rc;
}

static int
fill_array_add(void)
{
	return fill_array_op(0); /* a new array, stored */
}

START_TEST(test_nospace_full__map)
{
	PK_OK(pk_map_new(&cm, pool));
	store("c", pk_map_value(cm));
	fill("map", fill_map_op, 20, map_count);
	make_room("map", fill_map_remove, fill_map_add);
	assert_healthy();
	pk_map_close(cm);
}
END_TEST

START_TEST(test_nospace_full__list)
{
	PK_OK(pk_list_new(&cl, pool));
	store("c", pk_list_value(cl));
	fill("list", fill_list_op, 20, list_count);
	make_room("list", fill_list_remove, fill_list_add);
	assert_healthy();
	pk_list_close(cl);
}
END_TEST

START_TEST(test_nospace_full__array)
{
	pk_value v;

	PK_OK(pk_list_new(&cl, pool));
	store("c", pk_list_value(cl));
	PK_OK(pk_array_new(&ca, pool, PK_ELEM_U8, 0, 1000, NULL));
	v = pk_array_value(ca);
	PK_OK(pk_list_append(cl, &v));
	/* the list holds ca and one array per successful new */
	fill("array", fill_array_op, 20, array_count);
	make_room("array", fill_list_remove, fill_array_add);
	PK_OK(pk_pool_gc(NULL, pool));
	assert_healthy();
	pk_array_close(ca);
	pk_list_close(cl);
}
END_TEST

static Suite *
nospace_suite(void)
{
	Suite *s = suite_create("nospace");
	TCase *tc;

	tc = tcase_create("inject");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_nospace_map__put_and_remove);
	tcase_add_test(tc, test_nospace_map__new_and_clear);
	tcase_add_test(tc, test_nospace_list__mixed);
	tcase_add_test(tc, test_nospace_array__new_and_resize);
	tcase_add_test(tc, test_nospace_tx__nested_creation);
	tcase_add_test(tc, test_nospace_gc__allocates_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("full");
	tcase_add_checked_fixture(tc, setup_small, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_nospace_full__map);
	tcase_add_test(tc, test_nospace_full__list);
	tcase_add_test(tc, test_nospace_full__array);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(nospace_suite());
}
