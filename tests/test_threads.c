/*
 * test_threads.c -- many threads on shared containers, against a model
 *
 * Eight threads share two maps, a sorted map, one list and one array of a
 * pool and run random operations on them. One map, the sorted map, the
 * list and the array are leaves
 * (no value refers to a container), whose writers run in parallel under
 * the container's own lock; the other map holds containers, and its
 * writers take the pool's lock (lib/lock.c). Each thread owns a part of every container
 * (its own keys, its own array elements, its own values in the list), so
 * its part must end exactly as its own model says; the parts it does not
 * own it only reads, and what it reads must be well formed. Accounts in
 * the map are moved between in transactions, and readers that look at all
 * of them in a transaction must always find the same total. At the end
 * the whole pool must equal the union of the models, before and after a
 * reopen, and pass pk_pool_check. Smaller tests: handles opened and closed
 * by many threads, which calls wait for a container's lock, and copying
 * gets beside a writer that must never copy a torn value.
 *
 * Worker threads record the first thing that went wrong in their own
 * record; the main thread asserts, since Check's asserts belong to it.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_DISABLE_ERROR_REPORTING
#define VALGRIND_DISABLE_ERROR_REPORTING
#endif

#include "common.h"
#include "fixture.h"
#include "internal.h"

#define THREADS 8
#define ACCOUNTS 8
#define ACCOUNT_START 1000
#define ARRAY_PER_THREAD 64
#define KEYS_PER_THREAD 512

static int steps = 4000;
/* $PK_TEST_SEED: other operation sequences for a long loop of runs */
static uint64_t seed;

struct worker {
	pthread_t thread;
	int id;
	uint64_t rng;
	char error[512];
	/* model of what this thread owns */
	int64_t value[KEYS_PER_THREAD];	/* map: key id -> value, -1 absent */
	int64_t elem[ARRAY_PER_THREAD];	/* array elements */
	int64_t svalue[KEYS_PER_THREAD]; /* sorted map, as value[] */
	uint64_t appended;		/* list values appended: 0..appended-1 */
	/* counts, for the report */
	unsigned long ops, tx_committed, tx_aborted, sums_checked;
};

static struct worker workers[THREADS];
static pk_map *shared_map;	/* holds containers: not a leaf */
static pk_map *leaf_map;	/* holds numbers only */
static pk_sorted *shared_sorted;	/* holds numbers only */
static pk_list *shared_list;
static pk_array *shared_array;

static uint64_t
next_rand(struct worker *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 2685821657736338717ULL;
}

/* the map key of a thread's key id; values encode their key */
static int64_t
key_of(int tid, int k)
{
	return (int64_t)tid * 1000000 + k;
}

static int64_t
value_for(int64_t key, uint64_t version)
{
	return key * 1000 + (int64_t)(version % 1000);
}

static pk_value
account_key(int a)
{
	static const char *names[ACCOUNTS] = { "acct0", "acct1", "acct2",
		"acct3", "acct4", "acct5", "acct6", "acct7" };
	return pk_string(names[a], 5);
}

#define FAIL(w, ...) do { \
	if ((w)->error[0] == '\0') \
		snprintf((w)->error, sizeof((w)->error), __VA_ARGS__); \
	return -1; \
} while (0)

#define CALL(w, expr) do { \
	int rc_ = (expr); \
	if (rc_ != 0) \
		FAIL(w, "%s: %s (%s)", #expr, pk_strerror(rc_), \
				pk_errormsg()); \
} while (0)

/* the map that holds key id k: the lower half in the leaf */
static pk_map *
map_of(int k)
{
	return k < KEYS_PER_THREAD / 2 ? leaf_map : shared_map;
}

/* put, replace or remove one of the thread's keys; check it reads back */
static int
own_key(struct worker *w)
{
	int k = (int)(next_rand(w) % KEYS_PER_THREAD);
	pk_map *map = map_of(k);
	pk_value key = pk_int(key_of(w->id, k)), v;
	int rc;

	if (next_rand(w) % 4 == 0) {
		rc = pk_map_remove(map, &key);
		if (rc != (w->value[k] < 0 ? PK_NOTFOUND : 0))
			FAIL(w, "remove %d: %s", k, pk_strerror(rc));
		w->value[k] = -1;
	} else {
		pk_value val = pk_int(value_for(key.u.i, next_rand(w)));
		CALL(w, pk_map_put(map, &key, &val));
		w->value[k] = val.u.i;
	}
	rc = pk_map_get(&v, map, &key);
	if (w->value[k] < 0 ? rc != PK_NOTFOUND :
			(rc != 0 || v.type != PK_INT || v.u.i != w->value[k]))
		FAIL(w, "key %d reads back wrong (%s)", k, pk_strerror(rc));
	return 0;
}

/* read another thread's key: absent, or a value made for that key */
static int
other_key(struct worker *w)
{
	int t = (int)(next_rand(w) % THREADS);
	int k = (int)(next_rand(w) % KEYS_PER_THREAD);
	pk_value key = pk_int(key_of(t, k)), v;
	int rc = pk_map_get(&v, map_of(k), &key);

	if (rc == PK_NOTFOUND)
		return 0;
	if (rc != 0 || v.type != PK_INT || v.u.i / 1000 != key.u.i)
		FAIL(w, "key %lld of thread %d reads %s", (long long)key.u.i,
				t, pk_strerror(rc));
	return 0;
}

/* the sorted map key of a thread's key id: the threads' keys interleave,
 * so that they share leaves, splits and merges */
static int64_t
skey_of(int tid, int k)
{
	return (int64_t)k * THREADS + tid;
}

/* sorted_put -- put (or remove, v negative) a key in a transaction of
 * the caller's, and check it reads back */
static int
sorted_set(struct worker *w, int k, int64_t v)
{
	pk_value key = pk_int(skey_of(w->id, k)), r;
	int rc;

	if (v < 0) {
		rc = pk_sorted_remove(shared_sorted, &key);
		if (rc != (w->svalue[k] < 0 ? PK_NOTFOUND : 0))
			FAIL(w, "sorted remove %d: %s", k, pk_strerror(rc));
	} else {
		r = pk_int(v);
		CALL(w, pk_sorted_put(shared_sorted, &key, &r));
	}
	rc = pk_sorted_get(&r, shared_sorted, &key);
	if (v < 0 ? rc != PK_NOTFOUND : rc != 0 || r.u.i != v)
		FAIL(w, "sorted key %d reads back wrong (%s)", k,
				pk_strerror(rc));
	return 0;
}

/* own_sorted -- put or remove one of the thread's sorted keys, or two in
 * a transaction that commits or aborts */
static int
own_sorted(struct worker *w)
{
	int k = (int)(next_rand(w) % KEYS_PER_THREAD);
	int64_t v = next_rand(w) % 4 == 0 ? -1 :
		value_for(skey_of(w->id, k), next_rand(w));

	if (next_rand(w) % 8 != 0) {
		if (sorted_set(w, k, v) != 0)
			return -1;
		w->svalue[k] = v;
		return 0;
	}
	int k2 = (k + 1) % KEYS_PER_THREAD, commit = next_rand(w) % 2;
	int64_t v2 = value_for(skey_of(w->id, k2), next_rand(w));
	CALL(w, pk_tx_begin(pool));
	if (sorted_set(w, k, v) != 0 || sorted_set(w, k2, v2) != 0) {
		pk_tx_abort(pool);
		return -1;
	}
	if (commit) {
		CALL(w, pk_tx_commit(pool));
		w->svalue[k] = v;
		w->svalue[k2] = v2;
		w->tx_committed++;
	} else {
		CALL(w, pk_tx_abort(pool));
		w->tx_aborted++;
	}
	/* what the transaction left must read as the model says */
	pk_value key = pk_int(skey_of(w->id, k)), r;
	int rc = pk_sorted_get(&r, shared_sorted, &key);
	if (w->svalue[k] < 0 ? rc != PK_NOTFOUND : rc != 0 ||
			r.u.i != w->svalue[k])
		FAIL(w, "sorted key %d after a transaction (%s)", k,
				pk_strerror(rc));
	return 0;
}

/* sorted_entry_ok -- a key another thread may own, and its value */
static int
sorted_entry_ok(const pk_value *k, const pk_value *v)
{
	return k->type == PK_INT && v->type == PK_INT && k->u.i >= 0 &&
		k->u.i < (int64_t)THREADS * KEYS_PER_THREAD &&
		v->u.i / 1000 == k->u.i;
}

/*
 * read_sorted -- what other threads change, read in order: a bounded
 * scan (ascending, in its bounds, well formed; PK_ECHANGED ends it), an
 * entry by index, and the nearest keys to a probe
 */
static int
read_sorted(struct worker *w)
{
	int64_t lo = (int64_t)(next_rand(w) % (THREADS * KEYS_PER_THREAD));
	int64_t hi = lo + (int64_t)(next_rand(w) % 200), prev = -1;
	pk_value lov = pk_int(lo), hiv = pk_int(hi), k, v;
	pk_sorted_range rg = PK_SORTED_RANGE_INIT;
	pk_cursor *c;
	uint64_t n;
	int rc;

	rg.lo = &lov;
	rg.hi = &hiv;
	rg.hi_open = 1;
	rg.reverse = next_rand(w) % 2;
	if (rg.reverse)
		prev = hi;
	CALL(w, pk_sorted_range_cursor(&c, shared_sorted, &rg));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		if (!sorted_entry_ok(&k, &v) || k.u.i < lo || k.u.i >= hi ||
		    (rg.reverse ? k.u.i >= prev : k.u.i <= prev)) {
			pk_cursor_free(c);
			FAIL(w, "sorted scan [%lld, %lld) met %lld after %lld",
					(long long)lo, (long long)hi,
					(long long)k.u.i, (long long)prev);
		}
		prev = k.u.i;
	}
	pk_cursor_free(c);
	if (rc != PK_ITEROVER && rc != PK_ECHANGED)
		FAIL(w, "sorted cursor: %s", pk_strerror(rc));
	CALL(w, pk_sorted_length(&n, shared_sorted));
	if (n > 0) {
		rc = pk_sorted_at(&k, &v, shared_sorted,
				(int64_t)(next_rand(w) % n));
		if (rc != PK_ERANGE && (rc != 0 || !sorted_entry_ok(&k, &v)))
			FAIL(w, "sorted at: %s", pk_strerror(rc));
	}
	pk_seek how = (pk_seek)(next_rand(w) % 4);
	rc = pk_sorted_seek(&k, &v, shared_sorted, &lov, how);
	if (rc == 0 && (!sorted_entry_ok(&k, &v) ||
	    (how == PK_SEEK_GE && k.u.i < lo) ||
	    (how == PK_SEEK_GT && k.u.i <= lo) ||
	    (how == PK_SEEK_LE && k.u.i > lo) ||
	    (how == PK_SEEK_LT && k.u.i >= lo)))
		FAIL(w, "sorted seek %d of %lld gave %lld", (int)how,
				(long long)lo, (long long)k.u.i);
	if (rc != 0 && rc != PK_NOTFOUND)
		FAIL(w, "sorted seek: %s", pk_strerror(rc));
	return 0;
}

static int
append(struct worker *w)
{
	pk_value v = pk_int(((int64_t)w->id << 32) | (int64_t)w->appended);
	CALL(w, pk_list_append(shared_list, &v));
	w->appended++;
	return 0;
}

static int
read_list(struct worker *w)
{
	uint64_t n;
	pk_value v;

	CALL(w, pk_list_length(&n, shared_list));
	if (n == 0)
		return 0;
	/* the list only grows: any index below a length read is there */
	CALL(w, pk_list_get(&v, shared_list,
				(int64_t)(next_rand(w) % n)));
	if (v.type != PK_INT || (v.u.i >> 32) >= THREADS)
		FAIL(w, "list element of type %d", (int)v.type);
	return 0;
}

static int
array_elem(struct worker *w)
{
	int j = (int)(next_rand(w) % ARRAY_PER_THREAD);
	int64_t idx = (int64_t)w->id * ARRAY_PER_THREAD + j;
	pk_value v = pk_int((int64_t)(next_rand(w) >> 1)), r;

	CALL(w, pk_array_set(shared_array, idx, &v));
	w->elem[j] = v.u.i;
	CALL(w, pk_array_get(&r, shared_array, idx));
	if (r.u.i != v.u.i)
		FAIL(w, "array element %lld reads back wrong", (long long)idx);
	return 0;
}

/* move money between two accounts; commit or abort at random */
static int
transfer(struct worker *w)
{
	int a = (int)(next_rand(w) % ACCOUNTS);
	int b = (int)((a + 1 + next_rand(w) % (ACCOUNTS - 1)) % ACCOUNTS);
	int64_t amount = (int64_t)(next_rand(w) % 50);
	pk_value ka = account_key(a), kb = account_key(b), va, vb;
	int commit = next_rand(w) % 4 != 0;

	CALL(w, pk_tx_begin(pool));
	CALL(w, pk_map_get(&va, shared_map, &ka));
	CALL(w, pk_map_get(&vb, shared_map, &kb));
	va.u.i -= amount;
	vb.u.i += amount;
	CALL(w, pk_map_put(shared_map, &ka, &va));
	CALL(w, pk_map_put(shared_map, &kb, &vb));
	if (commit) {
		CALL(w, pk_tx_commit(pool));
		w->tx_committed++;
	} else {
		CALL(w, pk_tx_abort(pool));
		w->tx_aborted++;
	}
	return 0;
}

static int
sum_accounts(struct worker *w, int in_tx)
{
	int64_t sum = 0;

	if (in_tx)
		CALL(w, pk_tx_begin(pool));
	for (int a = 0; a < ACCOUNTS; a++) {
		pk_value k = account_key(a), v;
		CALL(w, pk_map_get(&v, shared_map, &k));
		sum += v.u.i;
	}
	if (in_tx)
		CALL(w, pk_tx_commit(pool));
	if (sum != (int64_t)ACCOUNTS * ACCOUNT_START)
		FAIL(w, "accounts sum to %lld", (long long)sum);
	w->sums_checked++;
	return 0;
}

/* walk the map with a cursor: a change by another thread between steps
 * ends the walk with PK_ECHANGED, which is the defined outcome */
static int
walk(struct worker *w)
{
	pk_cursor *c;
	pk_value k, v;
	int rc, n = 0;

	CALL(w, pk_map_cursor(&c, shared_map));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0 && n < 200)
		n++;
	pk_cursor_free(c);
	if (rc != 0 && rc != PK_ITEROVER && rc != PK_ECHANGED)
		FAIL(w, "cursor: %s", pk_strerror(rc));
	return 0;
}

/* a container made, stored under a key of the thread's own, and dropped:
 * reference counts and frees under concurrency */
static int
nested(struct worker *w)
{
	pk_list *l;
	pk_value key = pk_string("nested", 6), v;
	char name[32];

	snprintf(name, sizeof(name), "nested-%d", w->id);
	key = pk_string(name, strlen(name));
	CALL(w, pk_list_new(&l, pool));
	pk_value one = pk_int(w->id);
	CALL(w, pk_list_append(l, &one));
	pk_value lv = pk_list_value(l);
	CALL(w, pk_map_put(shared_map, &key, &lv));
	pk_list_close(l);
	CALL(w, pk_map_get(&v, shared_map, &key));
	CALL(w, pk_list_open(&l, pool, &v));
	CALL(w, pk_list_get(&one, l, 0));
	pk_list_close(l);
	if (one.u.i != w->id)
		FAIL(w, "nested list holds %lld", (long long)one.u.i);
	CALL(w, pk_map_remove(shared_map, &key));
	return 0;
}

static void *
run(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < steps && w->error[0] == '\0'; i++) {
		unsigned r = (unsigned)(next_rand(w) % 100);
		int rc;
		if (r < 28)
			rc = own_key(w);
		else if (r < 40)
			rc = other_key(w);
		else if (r < 52)
			rc = own_sorted(w);
		else if (r < 60)
			rc = read_sorted(w);
		else if (r < 65)
			rc = append(w);
		else if (r < 67)
			rc = read_list(w);
		else if (r < 77)
			rc = array_elem(w);
		else if (r < 85)
			rc = transfer(w);
		else if (r < 91)
			rc = sum_accounts(w, 1);
		else if (r < 94)
			rc = walk(w);
		else
			rc = nested(w);
		if (rc != 0)
			break;
		w->ops++;
	}
	return NULL;
}

static void
open_shared(void)
{
	pk_value k, v;

	k = cstr("map");
	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_map_open(&shared_map, pool, &v));
	k = cstr("leaf");
	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_map_open(&leaf_map, pool, &v));
	k = cstr("list");
	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_list_open(&shared_list, pool, &v));
	k = cstr("array");
	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_array_open(&shared_array, pool, &v));
	k = cstr("sorted");
	PK_OK(pk_map_get(&v, root, &k));
	PK_OK(pk_sorted_open(&shared_sorted, pool, &v));
}

static void
close_shared(void)
{
	pk_map_close(shared_map);
	pk_map_close(leaf_map);
	pk_list_close(shared_list);
	pk_array_close(shared_array);
	pk_sorted_close(shared_sorted);
}

/* the pool equals the union of the models */
static void
verify(void)
{
	uint64_t n, next[THREADS] = { 0 }, total = 0, keys[2] = { 0, 0 };
	uint64_t skeys = 0;
	pk_value v, k;
	pk_cursor *c;
	int64_t prev = -1;
	int rc;

	for (int t = 0; t < THREADS; t++) {
		struct worker *w = &workers[t];
		for (int k = 0; k < KEYS_PER_THREAD; k++) {
			pk_value key = pk_int(key_of(t, k));
			int rc = pk_map_get(&v, map_of(k), &key);
			if (w->value[k] < 0) {
				PK_RC(rc, PK_NOTFOUND);
				continue;
			}
			PK_OK(rc);
			ck_assert_int_eq(v.u.i, w->value[k]);
			keys[map_of(k) == leaf_map]++;
		}
		for (int k = 0; k < KEYS_PER_THREAD; k++) {
			pk_value key = pk_int(skey_of(t, k));
			rc = pk_sorted_get(&v, shared_sorted, &key);
			if (w->svalue[k] < 0) {
				PK_RC(rc, PK_NOTFOUND);
				continue;
			}
			PK_OK(rc);
			ck_assert_int_eq(v.u.i, w->svalue[k]);
			skeys++;
		}
		for (int j = 0; j < ARRAY_PER_THREAD; j++) {
			PK_OK(pk_array_get(&v, shared_array,
					t * ARRAY_PER_THREAD + j));
			ck_assert_int_eq(v.u.i, w->elem[j]);
		}
		total += w->appended;
	}
	/* every thread's appends, all there, each thread's in its order */
	PK_OK(pk_list_length(&n, shared_list));
	ck_assert_uint_eq(n, total);
	for (uint64_t i = 0; i < n; i++) {
		PK_OK(pk_list_get(&v, shared_list, (int64_t)i));
		int t = (int)(v.u.i >> 32);
		ck_assert_int_lt(t, THREADS);
		ck_assert_uint_eq((uint64_t)(v.u.i & 0xffffffff), next[t]);
		next[t]++;
	}
	/* the maps hold the keys, the accounts and nothing else */
	PK_OK(pk_map_length(&n, shared_map));
	ck_assert_uint_eq(n, keys[0] + ACCOUNTS);
	PK_OK(pk_map_length(&n, leaf_map));
	ck_assert_uint_eq(n, keys[1]);
	/* the sorted map holds them in order, each index where it is */
	PK_OK(pk_sorted_length(&n, shared_sorted));
	ck_assert_uint_eq(n, skeys);
	PK_OK(pk_sorted_cursor(&c, shared_sorted));
	for (uint64_t i = 0; (rc = pk_cursor_next(&k, &v, c)) == 0; i++) {
		ck_assert_int_gt(k.u.i, prev);
		prev = k.u.i;
		if (i % 97 == 0) {
			uint64_t r;
			PK_OK(pk_sorted_rank(&r, shared_sorted, &k, 0));
			ck_assert_uint_eq(r, i);
		}
	}
	pk_cursor_free(c);
	PK_RC(rc, PK_ITEROVER);
	struct worker check = { .id = -1 };
	ck_assert_msg(sum_accounts(&check, 0) == 0, "%s", check.error);
	assert_healthy();
}

START_TEST(test_threads__shared_containers)
{
	pk_map *m;
	pk_list *l;
	pk_array *a;
	pk_value k, v;
	unsigned long ops = 0, committed = 0, aborted = 0, sums = 0;

	PK_OK(pk_map_new(&m, pool));
	for (int i = 0; i < ACCOUNTS; i++) {
		k = account_key(i);
		v = pk_int(ACCOUNT_START);
		PK_OK(pk_map_put(m, &k, &v));
	}
	PK_OK(pk_list_new(&l, pool));
	PK_OK(pk_array_new(&a, pool, PK_ELEM_I64, 0,
			THREADS * ARRAY_PER_THREAD, NULL));
	k = cstr("map"), v = pk_map_value(m);
	PK_OK(pk_map_put(root, &k, &v));
	pk_map_close(m);
	PK_OK(pk_map_new(&m, pool));
	k = cstr("leaf"), v = pk_map_value(m);
	PK_OK(pk_map_put(root, &k, &v));
	k = cstr("list"), v = pk_list_value(l);
	PK_OK(pk_map_put(root, &k, &v));
	k = cstr("array"), v = pk_array_value(a);
	PK_OK(pk_map_put(root, &k, &v));
	pk_sorted *sm;
	PK_OK(pk_sorted_new(&sm, pool));
	k = cstr("sorted"), v = pk_sorted_value(sm);
	PK_OK(pk_map_put(root, &k, &v));
	pk_sorted_close(sm);
	pk_map_close(m);
	pk_list_close(l);
	pk_array_close(a);
	open_shared();

	for (int t = 0; t < THREADS; t++) {
		struct worker *w = &workers[t];
		memset(w, 0, sizeof(*w));
		w->id = t;
		w->rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(t + 1) + seed;
		for (int i = 0; i < KEYS_PER_THREAD; i++)
			w->value[i] = w->svalue[i] = -1;
		ck_assert_int_eq(pthread_create(&w->thread, NULL, run, w), 0);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(workers[t].thread, NULL);
	for (int t = 0; t < THREADS; t++) {
		struct worker *w = &workers[t];
		ck_assert_msg(w->error[0] == '\0', "thread %d: %s", t,
				w->error);
		ops += w->ops;
		committed += w->tx_committed;
		aborted += w->tx_aborted;
		sums += w->sums_checked;
	}
	printf("test_threads: %d threads, %lu operations, %lu transfers "
			"committed, %lu aborted, %lu consistent sums\n",
			THREADS, ops, committed, aborted, sums);

	verify();
	close_shared();
	reopen();
	open_shared();
	verify();
	close_shared();
}
END_TEST

/* handles opened and closed by many threads at once: the pool's handle
 * count must come back to where it was */
static void *
open_close(void *arg)
{
	struct worker *w = arg;
	pk_value k = cstr("map"), v;

	for (int i = 0; i < 2000; i++) {
		pk_map *m;
		int rc = pk_map_get(&v, root, &k);
		if (rc == 0)
			rc = pk_map_open(&m, pool, &v);
		if (rc != 0) {
			snprintf(w->error, sizeof(w->error), "%s",
					pk_strerror(rc));
			break;
		}
		pk_map_close(m);
	}
	return NULL;
}

START_TEST(test_threads__handles)
{
	pk_map *m;
	pk_value k = cstr("map"), v;

	PK_OK(pk_map_new(&m, pool));
	v = pk_map_value(m);
	PK_OK(pk_map_put(root, &k, &v));
	pk_map_close(m);
	for (int t = 0; t < THREADS; t++) {
		memset(&workers[t], 0, sizeof(workers[t]));
		ck_assert_int_eq(pthread_create(&workers[t].thread, NULL,
				open_close, &workers[t]), 0);
	}
	for (int t = 0; t < THREADS; t++) {
		pthread_join(workers[t].thread, NULL);
		ck_assert_msg(workers[t].error[0] == '\0', "thread %d: %s", t,
				workers[t].error);
	}
	/* with every handle closed, closing the pool frees it: valgrind and
	 * ASan runs would report a count that went wrong as a leak */
}
END_TEST

/*
 * ---- which calls wait for which: the main thread holds a container's
 * lock as a writer to it would (lib/lock.c), and a second thread makes
 * one call. pk_set_wait_hooks() tells whether that call had to wait. ----
 */
static int waits;

static void *
wait_begin(void)
{
	__atomic_add_fetch(&waits, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void
wait_end(void *ctx)
{
	(void)ctx;
}

struct call {
	pthread_t thread;
	int (*fn)(struct call *c);
	pk_map *map;
	pk_list *list;
	pk_value key, val;
	int rc;
	int done;
};

/* remove the list's elements [key, val) */
static int
call_remove_range(struct call *c)
{
	return pk_list_remove_range(c->list, c->key.u.i, c->val.u.i);
}

static int
call_put(struct call *c)
{
	return pk_map_put(c->map, &c->key, &c->val);
}

static int
call_get(struct call *c)
{
	pk_value v;
	return pk_map_get(&v, c->map, &c->key);
}

static void *
call_run(void *arg)
{
	struct call *c = arg;

	c->rc = c->fn(c);
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void
call_start(struct call *c, int (*fn)(struct call *), pk_map *map,
		pk_value key, pk_value val)
{
	c->fn = fn;
	c->map = map;
	c->key = key;
	c->val = val;
	c->done = 0;
	__atomic_store_n(&waits, 0, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_create(&c->thread, NULL, call_run, c), 0);
}

/* wait up to 10 s for cond; whether it came */
#define WITHIN_10S(cond) ({ \
	int ok_ = 0; \
	for (int i_ = 0; i_ < 10000 && !(ok_ = (cond)); i_++) \
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL); \
	ok_; \
})

/* the call runs to its end while l is held, without waiting */
static void
expect_runs(struct call *c)
{
	ck_assert_msg(WITHIN_10S(__atomic_load_n(&c->done, __ATOMIC_SEQ_CST)),
			"a call on another container waited for the lock held");
	pthread_join(c->thread, NULL);
	PK_OK(c->rc);
	ck_assert_int_eq(__atomic_load_n(&waits, __ATOMIC_SEQ_CST), 0);
}

/* the call waits while l is held, and ends once it is let go */
static void
expect_waits(struct call *c, struct pk_lock *l)
{
	ck_assert_msg(WITHIN_10S(__atomic_load_n(&waits, __ATOMIC_SEQ_CST) >
				0), "the call did not wait");
	ck_assert_int_eq(__atomic_load_n(&c->done, __ATOMIC_SEQ_CST), 0);
	pk__unlock(l);
	pthread_join(c->thread, NULL);
	PK_OK(c->rc == PK_NOTFOUND ? 0 : c->rc);
}

/* a leaf map whose lock is not that of other */
static pk_map *
map_apart(const pk_map *other)
{
	pk_map *m;

	for (;;) {
		PK_OK(pk_map_new(&m, pool));
		if (other == NULL || pk__stripe(pool, m->h.off) !=
				pk__stripe(pool, other->h.off))
			return m;
		pk_map_close(m);
	}
}

START_TEST(test_threads__container_locks)
{
	pk_map *a = map_apart(NULL), *b = map_apart(a);
	pk_list *l;
	struct pk_lock lk;
	struct call c;
	pk_value k1 = pk_int(1), v1 = pk_int(10);

	PK_OK(pk_list_new(&l, pool));
	pk_set_wait_hooks(wait_begin, wait_end);

	/* a writer to leaf a holds the pool's lock shared and a's own */
	pk__lock_write(&lk, &a->h, 0);
	ck_assert_ptr_nonnull(lk.stripe);
	ck_assert_int_eq(lk.excl, 0);
	/* so a writer to another leaf does not wait for it */
	call_start(&c, call_put, b, k1, v1);
	expect_runs(&c);
	/* nor does a reader of another container */
	call_start(&c, call_get, b, k1, v1);
	expect_runs(&c);
	/* a writer to a does */
	call_start(&c, call_put, a, k1, v1);
	expect_waits(&c, &lk);

	/* a reader of a waits too: its read without locks sees a writer */
	pk__lock_write(&lk, &a->h, 0);
	call_start(&c, call_get, a, k1, v1);
	expect_waits(&c, &lk);

	/* storing a container, in any container, takes the pool's lock */
	pk__lock_write(&lk, &a->h, 0);
	call_start(&c, call_put, b, pk_int(2), pk_list_value(l));
	expect_waits(&c, &lk);

	/* b, no longer a leaf, still has a write that stores no reference
	 * take only b's lock */
	pk__lock_write(&lk, &b->h, 0);
	ck_assert_ptr_nonnull(lk.stripe);
	ck_assert_int_eq(lk.excl, 0);
	ck_assert_int_eq(pk__lock_reach(), PK__ERELOCK); /* not a leaf */
	pk__unlock(&lk);
	pk__lock_write(&lk, &a->h, 0);
	call_start(&c, call_put, b, pk_int(3), v1);
	expect_runs(&c);
	/* until the write finds that it drops the reference b holds: it is
	 * run again under the pool's lock, and waits */
	call_start(&c, call_put, b, pk_int(2), v1);
	expect_waits(&c, &lk);
	pk_value got, k2 = pk_int(2);
	PK_OK(pk_map_get(&got, b, &k2));
	ck_assert_int_eq(got.type, PK_INT);
	uint64_t len;
	PK_RC(pk_list_length(&len, l), PK_ESTALE);

	/* a list's remove_range meets a reference it drops only on its way
	 * (lib/refs.c): that attempt is aborted, and the call waits */
	pk_list *nl;
	pk_map *inner;
	PK_OK(pk_list_new(&nl, pool));
	PK_OK(pk_map_new(&inner, pool));
	pk_value iv = pk_map_value(inner), one = pk_int(1);
	PK_OK(pk_list_append(nl, &one));
	PK_OK(pk_list_append(nl, &iv));
	PK_OK(pk_list_append(nl, &one));
	pk__lock_write(&lk, &a->h, 0);
	c.list = nl;
	call_start(&c, call_remove_range, NULL, pk_int(0), pk_int(2));
	expect_waits(&c, &lk);
	PK_OK(pk_list_length(&len, nl));
	ck_assert_uint_eq(len, 1);
	PK_RC(pk_map_length(&len, inner), PK_ESTALE);
	pk_map_close(inner);
	pk_list_close(nl);

	/* a clear makes b a leaf again */
	PK_OK(pk_map_clear(b));
	pk__lock_write(&lk, &b->h, 0);
	ck_assert_ptr_nonnull(lk.stripe);
	ck_assert_int_eq(pk__lock_reach(), PK_ECORRUPT); /* a leaf: a reference in it is damage */
	pk__unlock(&lk);

	pk_set_wait_hooks(NULL, NULL);
	pk_list_close(l);
	pk_map_close(a);
	pk_map_close(b);
	/* none was stored: gc frees them */
	uint64_t freed;
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 4);
	assert_healthy();
}
END_TEST

/*
 * pk_map_get_copy() against a writer: a reader's copy is one value that was
 * stored, never parts of two. The copy is made inside the optimistic read,
 * before it is validated; made after, it would copy whatever a writer put
 * there meanwhile. Every value says which it is: byte i is b0 + i, and its
 * length follows from b0 and the key. The lengths cross from inline to out
 * of line and back, so a reader meets slots and blobs being replaced.
 */
#define TORN_KEYS 4
#define TORN_READERS 2
static const uint32_t torn_lens[] = { 0, 1, 7, 8, 15, 16, 17, 24, 31, 40,
	41, 64, 100, 200, 1000 };
#define TORN_NLENS (sizeof(torn_lens) / sizeof(torn_lens[0]))

#define TORN_READS_PER_PUT 50

struct torn {
	pk_map *map;
	const long *puts;	/* the writer's count so far */
	int stop;
	pthread_t thread;
	unsigned long reads, bad;
	char error[300];
};

static uint32_t
torn_len(uint8_t b0, int k)
{
	return torn_lens[(b0 + (unsigned)k) % TORN_NLENS];
}

static pk_value
torn_value(uint8_t *buf, int k, uint8_t b0)
{
	uint32_t n = torn_len(b0, k);

	for (uint32_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(b0 + i);
	return pk_bytes(buf, n);
}

static void *
torn_reader(void *arg)
{
	struct torn *t = arg;
	uint8_t buf[1024];

	/*
	 * A get's optimistic read may read a blob that the writer freed
	 * meanwhile: pool memory, always mapped, which libpmemobj marks
	 * inaccessible for valgrind. The read is thrown away, as this test
	 * checks; valgrind would report it. So these threads report nothing
	 * under valgrind; the other tests keep its checks on the same code.
	 */
	VALGRIND_DISABLE_ERROR_REPORTING;
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		/* paced by the writer, whom valgrind's scheduler would
		 * otherwise starve */
		if (t->reads > TORN_READS_PER_PUT * (unsigned long)(1 +
				__atomic_load_n(t->puts, __ATOMIC_RELAXED))) {
			sched_yield();
			continue;
		}
		int k = (int)(t->reads % TORN_KEYS);
		pk_value key = pk_int(k), v;
		int rc = pk_map_get_copy(&v, buf, sizeof(buf), t->map, &key);
		if (rc != 0) {
			snprintf(t->error, sizeof(t->error), "key %d: %s (%s)",
					k, pk_strerror(rc), pk_errormsg());
			break;
		}
		t->reads++;
		const uint8_t *b = v.u.buf.ptr;
		size_t n = v.u.buf.len;
		int ok = v.type == PK_BYTES && b != NULL &&
			(n == 0 || n == torn_len(b[0], k));
		for (size_t j = 1; ok && j < n; j++)
			ok = b[j] == (uint8_t)(b[0] + j);
		if (!ok && t->bad++ == 0) {
			int at = snprintf(t->error, sizeof(t->error), "key %d: "
					"a value never stored: type %d, %zu "
					"bytes:", k, (int)v.type, n);
			for (size_t j = 0; b != NULL && j < n && j < 48; j++)
				at += snprintf(t->error + at,
						sizeof(t->error) - (size_t)at,
						" %u", b[j]);
		}
	}
	return NULL;
}

START_TEST(test_threads__copies_are_never_torn)
{
	struct torn r[TORN_READERS];
	uint8_t buf[1024];
	pk_map *m;
	const long writes = test_scale(300000);
	unsigned long reads = 0;
	long done = 0;

	PK_OK(pk_map_new(&m, pool));
	for (int k = 0; k < TORN_KEYS; k++) {
		pk_value key = pk_int(k), v = torn_value(buf, k, 0);
		PK_OK(pk_map_put(m, &key, &v));
	}
	for (int i = 0; i < TORN_READERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].map = m;
		r[i].puts = &done;
		ck_assert_int_eq(pthread_create(&r[i].thread, NULL,
				torn_reader, &r[i]), 0);
	}
	for (long i = 0; i < writes; i++) {
		int k = (int)(i % TORN_KEYS);
		pk_value key = pk_int(k);
		pk_value v = torn_value(buf, k, (uint8_t)(i / TORN_KEYS + 1));
		PK_OK(pk_map_put(m, &key, &v));
		__atomic_store_n(&done, i + 1, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < TORN_READERS; i++) {
		__atomic_store_n(&r[i].stop, 1, __ATOMIC_RELEASE);
		pthread_join(r[i].thread, NULL);
	}
	for (int i = 0; i < TORN_READERS; i++) {
		ck_assert_msg(r[i].error[0] == '\0', "reader %d (%lu of %lu "
				"reads bad): %s", i, r[i].bad, r[i].reads,
				r[i].error);
		reads += r[i].reads;
	}
	printf("test_threads: %ld puts beside %lu copying gets, none torn\n",
			writes, reads);
	ck_assert_uint_gt(reads, 0);
	pk_map_close(m);
	uint64_t freed;
	/* it was never stored: gc frees it, and its blobs */
	PK_OK(pk_pool_gc(&freed, pool));
	ck_assert_uint_ge(freed, 1);
	assert_healthy();
}
END_TEST

/*
 * The block array, the log, the set and the record under threads. Block
 * reads are optimistic copies that a concurrent write may overwrite (the
 * spare it fills was the block's a write before): each read must be one
 * whole version. Two threads append records to one log, add tuples to one
 * set and set attributes of one record while a third reads them: every
 * record whole, none lost.
 */
#define MT_BLOCKS 8
#define MT_BSIZE 4096

struct mt {
	pk_blocks *b;
	pk_log *log;
	pk_set *set;
	pk_record *rec;
	int id, stop;
	long n;
	pthread_t thread;
	char error[200];
};

/* mt_block -- block i's bytes at version ver: both, then one byte */
static void
mt_block(uint8_t *buf, uint64_t i, uint64_t ver)
{
	memcpy(buf, &i, 8);
	memcpy(buf + 8, &ver, 8);
	memset(buf + 16, (int)(uint8_t)(i * 7 + ver), MT_BSIZE - 16);
}

static void *
mt_block_reader(void *arg)
{
	struct mt *t = arg;
	static __thread uint8_t buf[MT_BSIZE], want[MT_BSIZE];

	VALGRIND_DISABLE_ERROR_REPORTING;	/* as torn_reader */
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		uint64_t i = (uint64_t)t->n++ % MT_BLOCKS, got, ver;
		int rc = pk_blocks_read(buf, sizeof(buf), t->b, i);
		if (rc != 0) {
			snprintf(t->error, sizeof(t->error), "read: %s",
					pk_errormsg());
			break;
		}
		memcpy(&got, buf, 8);
		memcpy(&ver, buf + 8, 8);
		mt_block(want, i, ver);
		if (got != i || memcmp(buf, want, MT_BSIZE) != 0) {
			snprintf(t->error, sizeof(t->error), "block %llu: torn "
					"(version %llu)", (unsigned long long)i,
					(unsigned long long)ver);
			break;
		}
		if (t->n % 64 == 0)
			sched_yield();
	}
	return NULL;
}

static void *
mt_appender(void *arg)
{
	struct mt *t = arg;
	char rec[64];

	for (long i = 0; i < t->n; i++) {
		int len = snprintf(rec, sizeof(rec), "%d:%ld:%0*d", t->id, i,
				(int)(i % 40), 0);
		pk_value v = pk_bytes(rec, (size_t)len), e, items[2] = {
			pk_int(t->id), pk_int(i) };
		uint8_t tb[32];
		size_t tl;
		char nm[16];
		pk_value name = pk_string(nm, (size_t)snprintf(nm, sizeof(nm),
				"n%d_%ld", t->id, i % 50)), last = pk_string(nm,
				2), iv = pk_int(i);
		/* the set's elements are tuples (id, i); the first of either
		 * thread marks the pool */
		int rc = pk_tuple_pack(tb, sizeof(tb), &tl, items, 2);
		e.type = PK_TUPLE;
		e.u.buf.ptr = tb;
		e.u.buf.len = tl;
		if (rc == 0)
			rc = pk_log_append(t->log, &v);
		if (rc == 0)
			rc = pk_set_add(t->set, &e);
		if (rc == 0)
			rc = pk_record_put(t->rec, &name, &iv);
		if (rc == 0) {
			nm[0] = 'w';	/* "w<id>": the last i */
			rc = pk_record_put(t->rec, &last, &iv);
		}
		if (rc != 0) {
			snprintf(t->error, sizeof(t->error), "append: %s",
					pk_errormsg());
			break;
		}
	}
	return NULL;
}

START_TEST(test_threads__blocks_logs_sets_records)
{
	struct mt r[2], w[2];
	static uint8_t buf[MT_BSIZE];
	const long writes = test_scale(20000), appends = test_scale(5000);
	pk_blocks *b;
	pk_log *log;
	pk_set *set;
	pk_record *rec;
	pk_cursor *c;
	pk_value k, v;
	uint64_t n;
	long seen[2] = { 0, 0 };
	int rc;

	PK_OK(pk_blocks_new(&b, pool, MT_BSIZE, MT_BLOCKS));
	for (uint64_t i = 0; i < MT_BLOCKS; i++) {
		mt_block(buf, i, 0);
		pk_value d = pk_bytes(buf, MT_BSIZE);
		PK_OK(pk_blocks_write(b, i, &d));
	}
	PK_OK(pk_log_new(&log, pool));
	PK_OK(pk_set_new(&set, pool));
	PK_OK(pk_record_new(&rec, pool, "Counters", 8));
	for (int i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].b = b;
		ck_assert_int_eq(pthread_create(&r[i].thread, NULL,
				mt_block_reader, &r[i]), 0);
		memset(&w[i], 0, sizeof(w[i]));
		w[i].log = log;
		w[i].set = set;
		w[i].rec = rec;
		w[i].id = i;
		w[i].n = appends;
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL,
				mt_appender, &w[i]), 0);
	}
	for (long i = 0; i < writes; i++) {
		uint64_t blk = (uint64_t)i % MT_BLOCKS;
		mt_block(buf, blk, (uint64_t)i + 1);
		pk_value d = pk_bytes(buf, MT_BSIZE);
		PK_OK(pk_blocks_write(b, blk, &d));
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(w[i].thread, NULL);
		__atomic_store_n(&r[i].stop, 1, __ATOMIC_RELEASE);
		pthread_join(r[i].thread, NULL);
		ck_assert_msg(r[i].error[0] == '\0', "reader %d: %s", i,
				r[i].error);
		ck_assert_msg(w[i].error[0] == '\0', "appender %d: %s", i,
				w[i].error);
		ck_assert_uint_gt(r[i].n, 0);
	}
	/* every record whole, each appender's in its order, none lost */
	PK_OK(pk_log_length(&n, log));
	ck_assert_uint_eq(n, (uint64_t)(2 * appends));
	PK_OK(pk_log_cursor(&c, log));
	while ((rc = pk_cursor_next(&k, &v, c)) == 0) {
		char rec[64];
		int id;
		long i;
		ck_assert_uint_lt(v.u.buf.len, sizeof(rec));
		memcpy(rec, v.u.buf.ptr, v.u.buf.len);
		rec[v.u.buf.len] = '\0';
		ck_assert_int_eq(sscanf(rec, "%d:%ld:", &id, &i), 2);
		ck_assert(id == 0 || id == 1);
		ck_assert_int_eq(i, seen[id]++);
		ck_assert_uint_eq(v.u.buf.len, strlen(rec));
	}
	ck_assert_int_eq(rc, PK_ITEROVER);
	pk_cursor_free(c);
	PK_OK(pk_set_length(&n, set));
	ck_assert_uint_eq(n, (uint64_t)(2 * appends));
	PK_OK(pk_record_length(&n, rec));
	ck_assert_uint_eq(n, 2 + 2 * (uint64_t)(appends < 50 ? appends : 50));
	for (int i = 0; i < 2; i++) {
		pk_value name = pk_string(i ? "w1" : "w0", 2);
		PK_OK(pk_record_get(&v, rec, &name));
		ck_assert_int_eq(v.u.i, appends - 1);
	}
	pk_blocks_close(b);
	pk_log_close(log);
	pk_set_close(set);
	pk_record_close(rec);
	uint64_t freed;
	PK_OK(pk_pool_gc(&freed, pool));	/* none was stored */
	ck_assert_uint_ge(freed, 4);
	assert_healthy();
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("threads");
	TCase *tc = tcase_create("threads");

	const char *s = getenv("PK_TEST_SEED");

	steps = (int)test_scale(steps);
	seed = s != NULL ? strtoull(s, NULL, 0) * 0xD1B54A32D192ED03ULL : 0;
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_threads__shared_containers);
	tcase_add_test(tc, test_threads__handles);
	tcase_add_test(tc, test_threads__container_locks);
	tcase_add_test(tc, test_threads__copies_are_never_torn);
	tcase_add_test(tc, test_threads__blocks_logs_sets_records);
	suite_add_tcase(suite, tc);
	return run_suite(suite);
}
