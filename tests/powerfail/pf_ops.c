/*
 * pf_ops.c -- values and checked operations shared by the power-failure
 * test programs. Reads map headers and sorted maps' nodes (lib/internal.h)
 * only to name what an operation did (split, new segment, directory
 * growth, merge).
 */
#include <stdio.h>
#include <string.h>

#include "../../lib/internal.h"
#include "pf_ops.h"

static uint64_t
mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

pk_value
pf_bytes(uint8_t *buf, size_t len, uint32_t tag)
{
	uint64_t s = tag;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)mix(&s);
	return pk_bytes(buf, len);
}

pk_value
pf_key(char *buf, unsigned id)
{
	if (id % 3 != 2)
		return pk_int((int64_t)id * 7919 - 5000);
	int n = snprintf(buf, 32, "key-%u-%s", id, id % 2 ? "odd" : "even");
	return pk_string(buf, (size_t)n);
}

uint32_t
pf_key_hash(pk_map *m, const pk_value *k)
{
	struct pk_key key;

	if (pk__key_make(&key, k) != 0)
		return 0;
	return (uint32_t)pk__key_hash(m->h.pool, &key);
}

void
pf_format1(pk_pool *pool, pk_map *root)
{
	struct pk_map_hdr *h = (struct pk_map_hdr *)(pool->base +
			root->h.off);

	h->leaf = 0;
	pmemobj_persist(pool->pop, &h->leaf, sizeof(h->leaf));
	pool->root->format = 1;
	pmemobj_persist(pool->pop, &pool->root->format,
			sizeof(pool->root->format));
}

void
pf_map_hdr(struct pf_maphdr *out, pk_map *m)
{
	struct pk_map_hdr *h = (struct pk_map_hdr *)(m->h.pool->base +
			m->h.off);
	out->count = h->count;
	out->nbuckets = h->nbuckets;
	out->dir = h->dir;
}

const char *
pf_map_kind(const char *base, const struct pf_maphdr *a,
		const struct pf_maphdr *b)
{
	static char buf[64];
	const char *what = "";

	if (a->dir != b->dir)
		what = b->nbuckets > a->nbuckets ? ".dir-grow" : ".dir-shrink";
	else if (b->nbuckets != a->nbuckets) {
		uint64_t n = b->nbuckets > a->nbuckets ? a->nbuckets :
			b->nbuckets;
		/* bucket n starts a segment: a power of two up to 64, then
		 * every 64th */
		int seg = n <= 64 ? (n & (n - 1)) == 0 : n % 64 == 0;
		if (b->nbuckets > a->nbuckets)
			what = seg ? ".segment" : ".split";
		else
			what = seg ? ".merge-segment" : ".merge";
	}
	/* a split, merge or directory change is one path whatever the
	 * value: named by the operation alone (map.put.new, map.remove) */
	if (*what && strncmp(base, "map.put.", 8) == 0)
		base = "map.put.new";
	else if (*what && strncmp(base, "map.remove", 10) == 0)
		base = "map.remove";
	snprintf(buf, sizeof(buf), "%s%s", base, what);
	return buf;
}

void
pf_map_put(struct pf_ctx *c, pk_map *m, const char *kind, const pk_value *k,
		const pk_value *v)
{
	struct pf_maphdr a, b;

	pf_map_hdr(&a, m);
	pf_begin(c, kind, 0);
	W(pk_map_put(m, k, v));
	pf_map_hdr(&b, m);
	pf_end_as(c, pf_map_kind(kind, &a, &b));
}

void
pf_map_remove(struct pf_ctx *c, pk_map *m, const char *kind,
		const pk_value *k)
{
	struct pf_maphdr a, b;

	pf_map_hdr(&a, m);
	pf_begin(c, kind, 0);
	W(pk_map_remove(m, k));
	pf_map_hdr(&b, m);
	pf_end_as(c, pf_map_kind(kind, &a, &b));
}

/* count_nodes -- the nodes of the subtree at off, of the given level */
static uint64_t
count_nodes(pk_pool *pool, uint64_t off, uint64_t level)
{
	const struct pk_sinner *in;
	uint64_t n = 1;

	if (level == 0)
		return 1;
	in = (const struct pk_sinner *)(pool->base + off);
	for (unsigned i = 0; i < in->hd.n; i++)
		n += count_nodes(pool, in->kid[i], level - 1);
	return n;
}

uint64_t
pf_sorted_nodes(pk_sorted *m)
{
	pk_pool *pool = m->h.pool;
	const struct pk_sorted_hdr *h = (const struct pk_sorted_hdr *)
		(pool->base + m->h.off);

	return h->root ? count_nodes(pool, h->root, h->height - 1) : 0;
}

void
pf_sorted_shape(pk_sorted *m, unsigned *height, unsigned kids[3])
{
	pk_pool *pool = m->h.pool;
	const struct pk_sorted_hdr *h = (const struct pk_sorted_hdr *)
		(pool->base + m->h.off);

	*height = (unsigned)h->height;
	kids[0] = kids[1] = kids[2] = 0;
	if (h->height < 2)
		return;
	const struct pk_sinner *r = (const struct pk_sinner *)
		(pool->base + h->root);
	kids[0] = r->hd.n;
	for (unsigned i = 0; h->height > 2 && i < 2 && i < r->hd.n; i++)
		kids[1 + i] = ((const struct pk_sinner *)(pool->base +
					r->kid[i]))->hd.n;
}
