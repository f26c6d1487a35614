/*
 * tx.h -- operations and transactions (tx.c)
 */
#ifndef PK_TX_H
#define PK_TX_H

#include "internal.h"

/*
 * tx.c -- every operation is bracketed by pk__op_begin()/pk__op_end();
 * writing operations run in a transaction (their own, or the caller's).
 * Persistent writes go through the helpers below, which snapshot first.
 */
struct pk_op {
	pk_pool *pool;
	int write;
	int own;	/* the operation began the libpmemobj transaction */
};
PK_HIDDEN int pk__op_begin(struct pk_op *op, pk_pool *pool, int write);
PK_HIDDEN int pk__op_end(struct pk_op *op, int rc);
PK_HIDDEN int pk__snap(const void *ptr, size_t len);
PK_HIDDEN int pk__tx_merged(void);
/* whether no transaction (pmemkit's or libpmemobj's) is open in this
 * thread, so an operation may publish its change atomically instead */
PK_HIDDEN int pk__tx_none(void);
PK_HIDDEN void pk__tx_set_merged(void);
PK_HIDDEN int pk__alloc(pk_pool *pool, uint64_t *off, size_t size,
		uint64_t type_num, int zero);
/*
 * Tests only (they link libpmemkit-core.la): when non-zero, every pk__alloc
 * counts it down and the one that brings it to 0 fails with PK_ENOSPACE,
 * as a full pool would. Not thread-safe; 0 (the default) costs one load.
 */
PK_HIDDEN extern unsigned long pk__test_fail_alloc;
PK_HIDDEN int pk__free(pk_pool *pool, uint64_t off);
PK_HIDDEN int pk__created(pk_pool *pool, uint64_t off);
PK_HIDDEN int pk__tx_close(pk_pool *pool);

#endif /* PK_TX_H */
