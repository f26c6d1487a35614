/*
 * scratch.c -- each thread's scratch buffer, for the values that a
 * function gives as copies (pk_blocks_get(), pk_region_get()): the
 * language modules convert a pk_value right after the call, so one buffer
 * per thread, overwritten by its next such call, is all they need.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

struct scratch {
	size_t cap;
	unsigned char buf[];
};

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* key_init -- the key of the threads' buffers, freed at thread exit */
static void
key_init(void)
{
	(void)pthread_key_create(&key, free);
}

/* pk__scratch -- the thread's buffer, of at least n bytes (ENOMEM) */
int
pk__scratch(void **out, size_t n)
{
	struct scratch *s;

	(void)pthread_once(&once, key_init);
	s = pthread_getspecific(key);
	if (s == NULL || s->cap < n) {
		size_t cap = n < 4096 ? 4096 : n;
		struct scratch *g = realloc(s, sizeof(*s) + cap);
		if (g == NULL)
			return pk__err(ENOMEM, "a buffer of %zu bytes", n);
		g->cap = cap;
		if (pthread_setspecific(key, g) != 0) {
			free(g);
			(void)pthread_setspecific(key, NULL);
			return pk__err(ENOMEM, NULL);
		}
		s = g;
	}
	*out = s->buf;
	return 0;
}
