/*
 * vec.c -- growable arrays of offsets, for work lists in volatile memory
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/* pk__vec_push -- append x, growing the array (ENOMEM if it cannot) */
int
pk__vec_push(struct pk_vec *vec, uint64_t x)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 64;
		uint64_t *v = realloc(vec->v, cap * sizeof(*v));
		if (v == NULL)
			return pk__err(ENOMEM, NULL);
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = x;
	return 0;
}
