/*
 * store_lmdb.c -- LMDB as a benchmark store: a put or remove per
 * committed write transaction (LMDB's default durability: synced at
 * commit) unless a batch is open; gets share one read transaction, opened
 * at the first get and ended by the next write (a thread holds one
 * transaction at a time).
 */
#include <lmdb.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

struct lm {
	char dir[4096];
	MDB_env *env;
	MDB_dbi dbi;
	MDB_txn *batch;		/* the open batch's write transaction */
	MDB_txn *read;		/* the gets' read transaction */
};

#define CHECK(expr) do { int rc_ = (expr); if (rc_ != 0) { \
	fprintf(stderr, "lmdb: %s: %s\n", #expr, mdb_strerror(rc_)); \
	return -1; } } while (0)

static void
remove_files(const char *d)
{
	char p[4200];
	snprintf(p, sizeof(p), "%s/data.mdb", d);
	unlink(p);
	snprintf(p, sizeof(p), "%s/lock.mdb", d);
	unlink(p);
	rmdir(d);
}

static int
open_env(struct lm *s, uint64_t n)
{
	MDB_txn *txn;

	CHECK(mdb_env_create(&s->env));
	/* the map size only reserves address space: the file grows as used */
	CHECK(mdb_env_set_mapsize(s->env, 2 * bench_pool_size(n)));
	CHECK(mdb_env_open(s->env, s->dir, 0, 0600));
	CHECK(mdb_txn_begin(s->env, NULL, 0, &txn));
	CHECK(mdb_dbi_open(txn, NULL, 0, &s->dbi));
	CHECK(mdb_txn_commit(txn));
	return 0;
}

static void
end_read(struct lm *s)
{
	if (s->read != NULL)
		mdb_txn_abort(s->read);
	s->read = NULL;
}

static void
destroy(void *p)
{
	struct lm *s = p;
	end_read(s);
	if (s->batch != NULL)
		mdb_txn_abort(s->batch);
	if (s->env != NULL)
		mdb_env_close(s->env);
	remove_files(s->dir);
	free(s);
}

static void *
create(const char *dir, uint64_t n)
{
	struct lm *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	snprintf(s->dir, sizeof(s->dir), "%s/bench-lmdb", dir);
	remove_files(s->dir);
	mkdir(s->dir, 0700);
	if (open_env(s, n) != 0) {
		destroy(s);
		return NULL;
	}
	return s;
}

/* a write: in the open batch, or in a transaction of its own */
static int
write_op(struct lm *s, const uint8_t *key, const uint8_t *val)
{
	MDB_val k = { KEY_LEN, (void *)key }, v = { VAL_LEN, (void *)val };
	MDB_txn *txn = s->batch;

	end_read(s);
	if (txn == NULL)
		CHECK(mdb_txn_begin(s->env, NULL, 0, &txn));
	if (val != NULL)
		CHECK(mdb_put(txn, s->dbi, &k, &v, 0));
	else
		CHECK(mdb_del(txn, s->dbi, &k, NULL));
	if (s->batch == NULL)
		CHECK(mdb_txn_commit(txn));
	return 0;
}

static int
put(void *p, const uint8_t *key, const uint8_t *val)
{
	return write_op(p, key, val);
}

static int
remove_(void *p, const uint8_t *key)
{
	return write_op(p, key, NULL);
}

static int
get(void *p, const uint8_t *key)
{
	struct lm *s = p;
	MDB_val k = { KEY_LEN, (void *)key }, out;

	if (s->read == NULL)
		CHECK(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &s->read));
	CHECK(mdb_get(s->read, s->dbi, &k, &out));
	return 0;
}

static int
begin(void *p)
{
	struct lm *s = p;
	end_read(s);
	CHECK(mdb_txn_begin(s->env, NULL, 0, &s->batch));
	return 0;
}

static int
commit(void *p)
{
	struct lm *s = p;
	MDB_txn *txn = s->batch;
	s->batch = NULL;
	CHECK(mdb_txn_commit(txn));
	return 0;
}

/* the pages in use, up to the last one written */
static double
bytes_used(void *p)
{
	struct lm *s = p;
	MDB_envinfo info;
	MDB_stat st;

	if (mdb_env_info(s->env, &info) != 0 || mdb_env_stat(s->env, &st) != 0)
		return 0;
	return (double)(info.me_last_pgno + 1) * st.ms_psize;
}

/* a cursor in the gets' read transaction: MDB_SET_RANGE, then MDB_NEXT */
static int
scan(void *p, const uint8_t *start, uint64_t n, uint64_t *seen)
{
	struct lm *s = p;
	MDB_val k = { KEY_LEN, (void *)start }, v;
	MDB_cursor *c;
	uint64_t sum = 0, i = 0;
	int rc;

	if (s->read == NULL)
		CHECK(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &s->read));
	CHECK(mdb_cursor_open(s->read, s->dbi, &c));
	rc = mdb_cursor_get(c, &k, &v, start ? MDB_SET_RANGE : MDB_FIRST);
	while (rc == 0 && i < n) {
		sum += ((const uint8_t *)k.mv_data)[0] +
			((const uint8_t *)v.mv_data)[0];
		i++;
		rc = i < n ? mdb_cursor_get(c, &k, &v, MDB_NEXT) : 0;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		CHECK(rc);
	bench_sink += sum;
	*seen = i;
	return 0;
}

const struct bench_store bench_store_lmdb = {
	"lmdb", create, put, get, remove_, begin, commit, bytes_used, destroy,
	scan,
};
