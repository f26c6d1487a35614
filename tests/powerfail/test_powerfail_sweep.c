/*
 * test_powerfail_sweep.c -- the longer power-failure sweep (make
 * check-crash): random operation sequences from a seed on larger
 * containers, with images that also hold a random part of the lines a
 * drain had not completed and of stores never flushed (cache write-back);
 * then the make check scenarios at larger sizes.
 *
 * Environment: PF_SEED (default 1), PF_SWEEP_OPS (random operations,
 * default 400), PF_JOBS (checking processes, default: the cores).
 */
#include <inttypes.h>

#include "../common.h"
#include "pf_ops.h"
#include "pmemsim.h"

static uint64_t seed = 1;
static unsigned nops = 400;

static uint64_t
rnd(uint64_t *s, uint64_t n)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (z ^ (z >> 31)) % n;
}

struct box {
	pk_map *m;
	pk_list *l;
	pk_array *a;
	uint8_t buf[8][400];
	char kb[32];
};

static pk_value
rnd_val(struct pf_ctx *c, struct box *b, uint64_t *s, int slot)
{
	switch (rnd(s, 8)) {
	case 0:
		return pk_nil();
	case 1:
		return pk_double((double)rnd(s, 1000) / 7.0);
	case 2:
	case 3:
		return pf_bytes(b->buf[slot], rnd(s, 8), (uint32_t)rnd(s, 1000));
	case 4:
		return pf_bytes(b->buf[slot], 8 + rnd(s, 390),
				(uint32_t)rnd(s, 1000));
	case 5:
		if (rnd(s, 4) == 0)
			return pf_subtree(c, 1 + (int)rnd(s, 3));
		/* fall through */
	default:
		return pk_int((int64_t)rnd(s, 1u << 30));
	}
}

static void
ok_or(int rc, int allowed, const char *what)
{
	if (rc != 0 && rc != allowed)
		pf_fail("%s: %s; %s", what, pk_strerror(rc), pk_errormsg());
}

/* one random operation; its kind */
static const char *
random_op(struct pf_ctx *c, struct box *b, uint64_t *s, int slot)
{
	pk_value k, v, vals[6];
	uint64_t len;
	int64_t data[256];

	W(pk_list_length(&len, b->l));
	switch (rnd(s, 16)) {
	case 0: case 1: case 2: case 3:
		k = pf_key(b->kb, (unsigned)rnd(s, 3000));
		v = rnd_val(c, b, s, slot);
		W(pk_map_put(b->m, &k, &v));
		return "sweep.map.put";
	case 4: case 5:
		k = pf_key(b->kb, (unsigned)rnd(s, 3000));
		ok_or(pk_map_remove(b->m, &k), PK_NOTFOUND, "remove");
		return "sweep.map.remove";
	case 6:
		v = rnd_val(c, b, s, slot);
		W(pk_list_append(b->l, &v));
		return "sweep.list.append";
	case 7:
		v = rnd_val(c, b, s, slot);
		W(pk_list_insert(b->l, (int64_t)rnd(s, len + 1), &v));
		return "sweep.list.insert";
	case 8:
		ok_or(pk_list_pop(b->l, len ? (int64_t)rnd(s, len) : 0),
				PK_ERANGE, "pop");
		return "sweep.list.pop";
	case 9:
		if (len == 0)
			return "sweep.none";
		v = rnd_val(c, b, s, slot);
		W(pk_list_set(b->l, (int64_t)rnd(s, len), &v));
		return "sweep.list.set";
	case 10: {
		int64_t a = (int64_t)rnd(s, len + 1);
		W(pk_list_remove_range(b->l, a, a + (int64_t)rnd(s, 40)));
		return "sweep.list.remove-range";
	}
	case 11:
		for (int i = 0; i < 6; i++)
			vals[i] = i % 2 ? pk_int(i) : pf_bytes(b->buf[(slot +
					i) % 8], 10 + (size_t)i * 9, (uint32_t)i);
		W(pk_list_extend(b->l, vals, 1 + rnd(s, 6)));
		return "sweep.list.extend";
	case 12:
		W(pk_array_length(&len, b->a));
		if (len == 0)
			return "sweep.none";
		v = pk_int((int64_t)rnd(s, 1u << 20));
		W(pk_array_set(b->a, (int64_t)rnd(s, len), &v));
		return "sweep.array.set";
	case 13: {
		W(pk_array_length(&len, b->a));
		uint64_t n = len < 256 ? len : 256;
		if (n == 0)
			return "sweep.none";
		for (uint64_t i = 0; i < n; i++)
			data[i] = (int64_t)rnd(s, 1u << 20);
		uint64_t cnt = 1 + rnd(s, n), at = rnd(s, len - cnt + 1);
		W(pk_array_write(b->a, at, cnt, data));
		return "sweep.array.write";
	}
	case 14:
		W(pk_array_resize(b->a, rnd(s, 3000)));
		return "sweep.array.resize";
	default:
		if (rnd(s, 20) == 0) {
			W(pk_map_clear(b->m));
			return "sweep.map.clear";
		}
		k = pf_key(b->kb, (unsigned)rnd(s, 3000));
		v = pf_subtree(c, 1 + (int)rnd(s, 4));
		W(pk_map_put(b->m, &k, &v));
		return "sweep.nested.store";
	}
}

static void
random_scenario(struct pf_ctx *c)
{
	struct box *b = calloc(1, sizeof(*b));
	uint64_t s = seed;
	pk_value k, v;
	char kind[64];

	if (b == NULL)
		pf_fail("out of memory");
	pf_create(c);
	W(pk_map_new(&b->m, c->pool));
	W(pk_list_new(&b->l, c->pool));
	W(pk_array_new(&b->a, c->pool, PK_ELEM_I32, 0, 100, NULL));
	k = pk_string("m", 1);
	v = pk_map_value(b->m);
	W(pk_map_put(c->root, &k, &v));
	k = pk_string("l", 1);
	v = pk_list_value(b->l);
	W(pk_map_put(c->root, &k, &v));
	k = pk_string("a", 1);
	v = pk_array_value(b->a);
	W(pk_map_put(c->root, &k, &v));
	for (unsigned i = 0; i < nops; i++) {
		unsigned r = (unsigned)rnd(&s, 40);
		pf_begin(c, "sweep", 0);
		if (r == 0) {
			uint64_t freed;
			for (int j = 0; j < 2; j++)
				(void)pf_subtree(c, 2);
			W(pk_pool_gc(&freed, c->pool));
			snprintf(kind, sizeof(kind), "sweep.gc");
		} else if (r < 5) {
			/* a user transaction of a few operations */
			int n = 2 + (int)rnd(&s, 5);
			W(pk_tx_begin(c->pool));
			for (int j = 0; j < n; j++)
				(void)random_op(c, b, &s, j);
			W(pk_tx_commit(c->pool));
			snprintf(kind, sizeof(kind), "sweep.tx");
		} else {
			snprintf(kind, sizeof(kind), "%s",
					random_op(c, b, &s, 0));
		}
		pf_end_as(c, kind);
	}
	pk_map_close(b->m);
	pk_list_close(b->l);
	pk_array_close(b->a);
	free(b);
}

static void
run(void (*scenario)(struct pf_ctx *), unsigned variants, int msync,
		size_t size)
{
	struct pf_opts o = { 0 };
	struct pf_result r;

	o.variants = variants;
	o.seed = seed;
	o.msync = msync;
	o.pool_size = size;
	test_setup();
	pf_run(scenario, &o, &r);
	test_teardown();
	ck_assert_uint_gt(r.images, 0);
}

START_TEST(test_random)
{
	run(random_scenario, PMEMSIM_IMG_PARTIAL | PMEMSIM_IMG_EVICT, 0,
			(size_t)128 << 20);
}
END_TEST

START_TEST(test_random_msync)
{
	nops /= 4;
	seed += 1000;
	run(random_scenario, PMEMSIM_IMG_EVICT, 1, (size_t)128 << 20);
}
END_TEST

static void big_map(struct pf_ctx *c) { pf_map_ops(c, 1400, 1, 2); }
static void big_list(struct pf_ctx *c) { pf_list_ops(c, 300, 1); }
static void big_array(struct pf_ctx *c) { pf_array_ops(c, 4000, 40); }
static void big_nested(struct pf_ctx *c) { pf_nested_ops(c, 20); }
static void big_pool(struct pf_ctx *c) { pf_pool_ops(c, 8); }

START_TEST(test_bigger)
{
	run(big_map, PMEMSIM_IMG_PARTIAL, 0, (size_t)64 << 20);
	run(big_list, PMEMSIM_IMG_PARTIAL, 0, (size_t)64 << 20);
	run(big_array, PMEMSIM_IMG_PARTIAL, 0, (size_t)64 << 20);
	run(big_nested, PMEMSIM_IMG_PARTIAL, 0, 0);
	run(big_pool, PMEMSIM_IMG_PARTIAL, 0, 0);
}
END_TEST

static void
add(Suite *s, const char *name, const TTest *t)
{
	TCase *tc = tcase_create(name);
	tcase_set_timeout(tc, 7200);
	tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

int
main(int argc, char **argv)
{
	(void)argc;
	pf_sim_init(argv);
	if (getenv("PF_SEED"))
		seed = strtoull(getenv("PF_SEED"), NULL, 0);
	if (getenv("PF_SWEEP_OPS"))
		nops = (unsigned)strtoul(getenv("PF_SWEEP_OPS"), NULL, 0);
	printf("seed %" PRIu64 ", %u random operations\n", seed, nops);
	pf_stats_init();
	Suite *s = suite_create("powerfail-sweep");
	add(s, "random", test_random);
	add(s, "random-msync", test_random_msync);
	add(s, "bigger", test_bigger);
	int rc = run_suite(s);
	pf_stats_print();
	return rc;
}
