/*
 * pf_ops.h -- values and checked operations shared by the power-failure
 * test programs (worker side)
 */
#ifndef PF_OPS_H
#define PF_OPS_H

#include "pf.h"

/* value makers: deterministic contents from a tag */
pk_value pf_bytes(uint8_t *buf, size_t len, uint32_t tag);
pk_value pf_key(char *buf, unsigned id);	/* ints and strings */

/* the kind of a map put or remove, from the map's header before and
 * after: "map.put.new", "map.put.split", "map.put.segment", ... */
struct pf_maphdr {
	uint64_t count, nbuckets, dir;
};
/* the hash of key k in map m, whose low bits pick its bucket */
uint32_t pf_key_hash(pk_map *m, const pk_value *k);
/* make the pool, holding its root map alone, look as format 1 left it:
 * the format, and no leaf mark */
void pf_format1(pk_pool *pool, pk_map *root);
void pf_map_hdr(struct pf_maphdr *out, pk_map *m);
const char *pf_map_kind(const char *base, const struct pf_maphdr *a,
		const struct pf_maphdr *b);

/* the nodes of a sorted map's tree: a change in their number names a
 * split or a merge */
uint64_t pf_sorted_nodes(pk_sorted *m);
/* its height, its root's children and those of the root's first two */
void pf_sorted_shape(pk_sorted *m, unsigned *height, unsigned kids[3]);

/* checked map operations on m */
void pf_map_put(struct pf_ctx *c, pk_map *m, const char *kind,
		const pk_value *k, const pk_value *v);
void pf_map_remove(struct pf_ctx *c, pk_map *m, const char *kind,
		const pk_value *k);

/* the scenarios (pf_scen.c); every and rounds scale them */
void pf_map_ops(struct pf_ctx *c, int keys, int every, int cycles);
void pf_list_ops(struct pf_ctx *c, int n, int every);
void pf_array_ops(struct pf_ctx *c, uint64_t len, int iters);
void pf_log_ops(struct pf_ctx *c, int n, int every);
void pf_blocks_ops(struct pf_ctx *c);
void pf_set_ops(struct pf_ctx *c, int n);
void pf_sorted_ops(struct pf_ctx *c, int n, int every);
void pf_record_ops(struct pf_ctx *c, int n);
pk_value pf_subtree(struct pf_ctx *c, int n);
void pf_nested_ops(struct pf_ctx *c, int rounds);
void pf_pool_ops(struct pf_ctx *c, int rounds);
void pf_defrag_ops(struct pf_ctx *c, int n, int rounds);
void pf_msync_ops(struct pf_ctx *c, int n);

#endif
