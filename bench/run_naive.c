/*
 * run_naive.c -- the floor: a hash map written directly on libpmemobj as
 * its examples do, one transaction per put that allocates a node and
 * links it into its bucket (plus the count), chained buckets sized for n
 */
#include <errno.h>
#include <libpmemobj.h>
#include <unistd.h>

#include "bench.h"

struct node {
	uint64_t next;		/* offset of the next node, or 0 */
	uint8_t key[KEY_LEN];
	uint8_t val[VAL_LEN];
};

struct root {
	uint64_t count;
	uint64_t nbuckets;
	uint64_t buckets;	/* offset of uint64_t[nbuckets] */
};

static PMEMobjpool *pop;
static struct root *root;

#define AT(off) ((void *)((char *)pop + (off)))

static uint64_t
bucket_of(const uint8_t *key)
{
	uint64_t h;
	memcpy(&h, key + 8, 8);
	h *= 0xff51afd7ed558ccdULL; /* the keys are distinct in bytes 8..15 */
	return (h ^ (h >> 29)) % root->nbuckets;
}

static struct node *
lookup(const uint8_t *key, uint64_t **link)
{
	uint64_t *head = (uint64_t *)AT(root->buckets) + bucket_of(key);
	*link = head;
	for (uint64_t off = *head; off != 0; off = ((struct node *)AT(off))->next)
		if (memcmp(((struct node *)AT(off))->key, key, KEY_LEN) == 0)
			return AT(off);
	return NULL;
}

static int
put(const uint8_t *key, const uint8_t *val)
{
	uint64_t *head;
	struct node *nd;
	int rc = 0;

	if (pmemobj_tx_begin(pop, NULL, TX_PARAM_NONE) != 0)
		return pmemobj_tx_end();
	pmemobj_tx_set_failure_behavior(POBJ_TX_FAILURE_RETURN);
	if ((nd = lookup(key, &head)) != NULL) {
		rc = pmemobj_tx_add_range_direct(nd->val, VAL_LEN);
		if (rc == 0)
			memcpy(nd->val, val, VAL_LEN);
	} else {
		PMEMoid oid = pmemobj_tx_alloc(sizeof(*nd), 1);
		if (OID_IS_NULL(oid))
			rc = ENOMEM;
		if (rc == 0)
			rc = pmemobj_tx_add_range_direct(head, 8);
		if (rc == 0)
			rc = pmemobj_tx_add_range_direct(&root->count, 8);
		if (rc == 0) {
			nd = AT(oid.off);
			memcpy(nd->key, key, KEY_LEN);
			memcpy(nd->val, val, VAL_LEN);
			nd->next = *head;
			*head = oid.off;
			root->count++;
		}
	}
	if (rc == 0)
		pmemobj_tx_commit();
	else
		pmemobj_tx_abort(rc);
	return pmemobj_tx_end();
}

int
bench_naive(const char *dir, uint64_t n, struct bench_result *r)
{
	char path[4096];
	uint8_t kb[KEY_LEN], vb[VAL_LEN];
	uint64_t *order = bench_order(n, 1), *gorder = bench_order(n, 2);
	uint64_t *link;
	double t;

	snprintf(path, sizeof(path), "%s/bench-naive.pool", dir);
	unlink(path);
	pop = pmemobj_create(path, "naive", (size_t)n * 256 + ((size_t)64 << 20),
			0600);
	if (pop == NULL) {
		fprintf(stderr, "naive: %s\n", pmemobj_errormsg());
		return 1;
	}
	PMEMoid ro = pmemobj_root(pop, sizeof(struct root));
	root = pmemobj_direct(ro);
	PMEMoid b = OID_NULL;
	if (pmemobj_zalloc(pop, &b, n * 8, 2) != 0) {
		fprintf(stderr, "naive: %s\n", pmemobj_errormsg());
		return 1;
	}
	root->nbuckets = n;
	root->buckets = b.off;
	pmemobj_persist(pop, root, sizeof(*root));

	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, order[i]);
		bench_val(vb, order[i]);
		if (put(kb, vb) != 0) {
			fprintf(stderr, "naive: put: %s\n", pmemobj_errormsg());
			return 1;
		}
	}
	r->put_tx = (bench_now() - t) * 1e9 / (double)n;
	t = bench_now();
	for (uint64_t i = 0; i < n; i++) {
		bench_key(kb, gorder[i]);
		if (lookup(kb, &link) == NULL)
			return 1;
	}
	r->get = (bench_now() - t) * 1e9 / (double)n;
	r->bytes_per_entry = 0;
	for (PMEMoid o = pmemobj_first(pop); !OID_IS_NULL(o);
			o = pmemobj_next(o))
		r->bytes_per_entry += (double)pmemobj_alloc_usable_size(o);
	r->bytes_per_entry /= (double)n;
	r->put_batch = r->remove_tx = 0;
	pmemobj_close(pop);
	unlink(path);
	free(order);
	free(gorder);
	return 0;
}
