/*
 * store_naive.c -- the floor: a hash map written directly on libpmemobj
 * as its examples do, chained buckets sized for n (never resized). A put
 * is one transaction that allocates a node and links it into its bucket
 * (plus the count); libpmemobj transactions nest, so a batch is an outer
 * one.
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

struct naive {
	char path[4096];
	PMEMobjpool *pop;
	struct root *root;
};

#define AT(s, off) ((void *)((char *)(s)->pop + (off)))

static int
fail(const char *what)
{
	fprintf(stderr, "naive: %s: %s\n", what, pmemobj_errormsg());
	return -1;
}

/* the link (bucket head or a node's next) that holds key's node, or NULL */
static uint64_t *
find(struct naive *s, const uint8_t *key, uint64_t **head)
{
	uint64_t h;

	memcpy(&h, key + 8, 8);
	h *= 0xff51afd7ed558ccdULL; /* the keys are distinct in bytes 8..15 */
	*head = (uint64_t *)AT(s, s->root->buckets) +
		(h ^ (h >> 29)) % s->root->nbuckets;
	for (uint64_t *link = *head; *link != 0;
			link = &((struct node *)AT(s, *link))->next)
		if (memcmp(((struct node *)AT(s, *link))->key, key,
					KEY_LEN) == 0)
			return link;
	return NULL;
}

static void *
create(const char *dir, uint64_t n)
{
	struct naive *s = calloc(1, sizeof(*s));
	PMEMoid b = OID_NULL;

	if (s == NULL)
		return NULL;
	snprintf(s->path, sizeof(s->path), "%s/bench-naive.pool", dir);
	unlink(s->path);
	s->pop = pmemobj_create(s->path, "naive", bench_pool_size(n), 0600);
	if (s->pop != NULL && bench_prefault &&
	    bench_prefault_pool(s->pop, bench_pool_size(n)) != 0) {
		perror("naive: prefault");
		pmemobj_close(s->pop);
		unlink(s->path);
		s->pop = NULL;
	}
	if (s->pop == NULL) {
		fail("create");
		free(s);
		return NULL;
	}
	s->root = pmemobj_direct(pmemobj_root(s->pop, sizeof(struct root)));
	if (pmemobj_zalloc(s->pop, &b, (n ? n : 1) * 8, 2) != 0) {
		fail("buckets");
		pmemobj_close(s->pop);
		unlink(s->path);
		free(s);
		return NULL;
	}
	s->root->nbuckets = n ? n : 1;
	s->root->buckets = b.off;
	pmemobj_persist(s->pop, s->root, sizeof(*s->root));
	return s;
}

static int
put(void *p, const uint8_t *key, const uint8_t *val)
{
	struct naive *s = p;
	uint64_t *head, *link;
	struct node *nd;
	int rc = 0;

	if (pmemobj_tx_begin(s->pop, NULL, TX_PARAM_NONE) != 0)
		return pmemobj_tx_end(), fail("begin");
	pmemobj_tx_set_failure_behavior(POBJ_TX_FAILURE_RETURN);
	if ((link = find(s, key, &head)) != NULL) {
		nd = AT(s, *link);
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
			rc = pmemobj_tx_add_range_direct(&s->root->count, 8);
		if (rc == 0) {
			nd = AT(s, oid.off);
			memcpy(nd->key, key, KEY_LEN);
			memcpy(nd->val, val, VAL_LEN);
			nd->next = *head;
			*head = oid.off;
			s->root->count++;
		}
	}
	if (rc == 0)
		pmemobj_tx_commit();
	else
		pmemobj_tx_abort(rc);
	return pmemobj_tx_end() ? fail("put") : 0;
}

static int
get(void *p, const uint8_t *key)
{
	uint64_t *head;
	if (find(p, key, &head) == NULL)
		return fprintf(stderr, "naive: get: key missing\n"), -1;
	return 0;
}

static int
remove_(void *p, const uint8_t *key)
{
	struct naive *s = p;
	uint64_t *head, *link;
	int rc;

	if ((link = find(s, key, &head)) == NULL)
		return fprintf(stderr, "naive: remove: key missing\n"), -1;
	struct node *nd = AT(s, *link);
	if (pmemobj_tx_begin(s->pop, NULL, TX_PARAM_NONE) != 0)
		return pmemobj_tx_end(), fail("begin");
	pmemobj_tx_set_failure_behavior(POBJ_TX_FAILURE_RETURN);
	rc = pmemobj_tx_add_range_direct(link, 8);
	if (rc == 0)
		rc = pmemobj_tx_add_range_direct(&s->root->count, 8);
	if (rc == 0) {
		*link = nd->next;
		s->root->count--;
		rc = pmemobj_tx_free(pmemobj_oid(nd));
	}
	if (rc == 0)
		pmemobj_tx_commit();
	else
		pmemobj_tx_abort(rc);
	return pmemobj_tx_end() ? fail("remove") : 0;
}

static int
begin(void *p)
{
	if (pmemobj_tx_begin(((struct naive *)p)->pop, NULL, TX_PARAM_NONE))
		return pmemobj_tx_end(), fail("begin");
	return 0;
}

static int
commit(void *p)
{
	(void)p;
	pmemobj_tx_commit();
	return pmemobj_tx_end() ? fail("commit") : 0;
}

/* the usable size of every object: nodes, buckets and root */
static double
bytes_used(void *p)
{
	struct naive *s = p;
	double used = 0;
	for (PMEMoid o = pmemobj_first(s->pop); !OID_IS_NULL(o);
			o = pmemobj_next(o))
		used += (double)pmemobj_alloc_usable_size(o);
	return used;
}

static void
destroy(void *p)
{
	struct naive *s = p;
	pmemobj_close(s->pop);
	unlink(s->path);
	free(s);
}

const struct bench_store bench_store_naive = {
	"naive", create, put, get, remove_, begin, commit, bytes_used, destroy,
	NULL,
};
