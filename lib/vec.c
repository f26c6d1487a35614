/*
 * vec.c -- growable arrays of offsets, for work lists in volatile memory
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

/*
 * Work lists in thread-local storage keep their memory between calls; a
 * thread that ends gives it back through a key's destructor, registered
 * when one of its lists first grows.
 */
#define TLS_VECS 4
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static PK_TLS struct pk_vec *tls_vecs[TLS_VECS];

/* tls_free -- give back the memory of an ending thread's work lists */
static void
tls_free(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < TLS_VECS; i++) {
		if (tls_vecs[i] != NULL) {
			free(tls_vecs[i]->v);
			*tls_vecs[i] = (struct pk_vec){ 0 };
			tls_vecs[i] = NULL;
		}
	}
}

/* tls_key_make -- create the key whose destructor is tls_free */
static void
tls_key_make(void)
{
	(void)pthread_key_create(&tls_key, tls_free);
}

/* tls_register -- have vec freed when the calling thread ends */
static void
tls_register(struct pk_vec *vec)
{
	pthread_once(&tls_once, tls_key_make);
	for (unsigned i = 0; i < TLS_VECS; i++) {
		if (tls_vecs[i] == vec)
			return;
		if (tls_vecs[i] == NULL) {
			tls_vecs[i] = vec;
			/* any non-NULL value makes the destructor run */
			(void)pthread_setspecific(tls_key, tls_vecs);
			return;
		}
	}
}

/* pk__tls_vec_push -- pk__vec_push for a vector in thread-local storage */
int
pk__tls_vec_push(struct pk_vec *vec, uint64_t x)
{
	if (vec->cap == 0)
		tls_register(vec);
	return pk__vec_push(vec, x);
}

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
