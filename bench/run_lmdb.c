/*
 * run_lmdb.c -- LMDB under the benchmark's workload: a put per committed
 * write transaction (LMDB's default durability: synced at commit), 1000
 * puts per transaction, and gets in one read transaction
 */
#include <lmdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define CHECK(expr) do { int rc_ = (expr); if (rc_ != 0) { \
	fprintf(stderr, "lmdb: %s: %s\n", #expr, mdb_strerror(rc_)); \
	return 1; } } while (0)

static void
rmdir_all(const char *d)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/data.mdb", d);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", d);
	unlink(p);
	rmdir(d);
}

static int
open_env(MDB_env **env, MDB_dbi *dbi, const char *d, uint64_t n)
{
	MDB_txn *txn;

	rmdir_all(d);
	mkdir(d, 0700);
	CHECK(mdb_env_create(env));
	CHECK(mdb_env_set_mapsize(*env, (size_t)n * 512 + ((size_t)64 << 20)));
	CHECK(mdb_env_open(*env, d, 0, 0600));
	CHECK(mdb_txn_begin(*env, NULL, 0, &txn));
	CHECK(mdb_dbi_open(txn, NULL, 0, dbi));
	CHECK(mdb_txn_commit(txn));
	return 0;
}

int
bench_lmdb(const char *dir, uint64_t n, struct bench_result *r)
{
	char d[4096];
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *txn;
	MDB_val k = { KEY_LEN, kb }, v = { VAL_LEN, vb }, out;
	MDB_envinfo info;
	MDB_stat st;
	double t;

	snprintf(d, sizeof(d), "%s/bench-lmdb", dir);
	if (open_env(&env, &dbi, d, n) != 0)
		return 1;
	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		bench_val(vb, order[i]);
		CHECK(mdb_txn_begin(env, NULL, 0, &txn));
		CHECK(mdb_put(txn, dbi, &k, &v, 0));
		CHECK(mdb_txn_commit(txn));
	}
	r->put_tx = (bench_now() - t) * 1e9 / (double)n;
	CHECK(mdb_env_info(env, &info));
	CHECK(mdb_env_stat(env, &st));
	r->bytes_per_entry = (double)(info.me_last_pgno + 1) * st.ms_psize /
		(double)n;

	t = bench_now();
	CHECK(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn));
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		CHECK(mdb_get(txn, dbi, &k, &out));
	}
	mdb_txn_abort(txn);
	r->get = (bench_now() - t) * 1e9 / (double)n;

	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		CHECK(mdb_txn_begin(env, NULL, 0, &txn));
		CHECK(mdb_del(txn, dbi, &k, NULL));
		CHECK(mdb_txn_commit(txn));
	}
	r->remove_tx = (bench_now() - t) * 1e9 / (double)n;
	mdb_env_close(env);

	if (open_env(&env, &dbi, d, n) != 0)
		return 1;
	t = bench_now();
	for (uint64_t i = 0; i < n; i += 1000) {
		CHECK(mdb_txn_begin(env, NULL, 0, &txn));
		for (uint64_t j = i; j < i + 1000 && j < n; j++) {
			bench_key(kb, order[j]);
			bench_val(vb, order[j]);
			CHECK(mdb_put(txn, dbi, &k, &v, 0));
		}
		CHECK(mdb_txn_commit(txn));
	}
	r->put_batch = (bench_now() - t) * 1e9 / (double)n;
	mdb_env_close(env);
	rmdir_all(d);
	free(order);
	free(gorder);
	return 0;
}
