/*
 * oset.c -- sets of offsets, each with a count, for the walks of gc and
 * check (gc.c) and of space accounting (stats.c): open addressing, linear
 * probing, memory in proportion to the objects met
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/* oset_pos -- the index of off in s, or of the empty slot it would take */
static size_t
oset_pos(const struct pk_oset *s, uint64_t off)
{
	size_t i = (size_t)((off * 0x9E3779B97F4A7C15ULL) >> 20) & (s->cap - 1);
	while (s->key[i] != 0 && s->key[i] != off)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* oset_grow -- double the set's capacity (1024 at first), rehashing */
static int
oset_grow(struct pk_oset *s)
{
	struct pk_oset t = { NULL, NULL, s->cap ? s->cap * 2 : 1024, 0 };

	t.key = calloc(t.cap, sizeof(*t.key));
	t.count = calloc(t.cap, sizeof(*t.count));
	if (t.key == NULL || t.count == NULL) {
		free(t.key);
		free(t.count);
		return pk__err(ENOMEM, NULL);
	}
	for (size_t i = 0; i < s->cap; i++) {
		if (s->key[i] == 0)
			continue;
		size_t j = oset_pos(&t, s->key[i]);
		t.key[j] = s->key[i];
		t.count[j] = s->count[i];
		t.n++;
	}
	free(s->key);
	free(s->count);
	*s = t;
	return 0;
}

/* pk__oset_add -- add off (count += inc); *added tells if it was new */
int
pk__oset_add(struct pk_oset *s, uint64_t off, uint64_t inc, int *added)
{
	size_t i;
	int rc;

	if (2 * (s->n + 1) > s->cap && (rc = oset_grow(s)) != 0)
		return rc;
	i = oset_pos(s, off);
	*added = s->key[i] == 0;
	if (*added) {
		s->key[i] = off;
		s->n++;
	}
	s->count[i] += inc;
	return 0;
}

/* pk__oset_find -- the count of off, or NULL if off is not in s */
const uint64_t *
pk__oset_find(const struct pk_oset *s, uint64_t off)
{
	if (s->cap == 0)
		return NULL;
	size_t i = oset_pos(s, off);
	return s->key[i] == off ? &s->count[i] : NULL;
}
