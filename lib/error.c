/*
 * error.c -- return codes, their messages, and the thread-local last error
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * A thread's error texts live on the heap, allocated at its first
 * failure. As thread-local arrays they would make the library's TLS block
 * large, and a module that loads the library with dlopen() (every
 * language binding) must fit that whole block into the static TLS that
 * glibc keeps for all such modules of a process (about 1.5 KiB), since
 * the hot thread-locals are initial-exec (PK_TLS in internal.h).
 */
struct errbuf {
	char msg[512];		/* pk_errormsg() */
	char unknown[160];	/* pk_strerror() of a code without a name */
};
static PK_TLS struct errbuf *errbuf;
/* pk_errormsg() when the buffer could not be allocated: a static text */
static PK_TLS const char *errfixed;
static pthread_key_t errbuf_key;
static pthread_once_t errbuf_once = PTHREAD_ONCE_INIT;

/* errbuf_free -- free an ending thread's error texts */
static void
errbuf_free(void *arg)
{
	free(arg);
	errbuf = NULL;
}

/* errbuf_key_make -- create the key whose destructor is errbuf_free */
static void
errbuf_key_make(void)
{
	(void)pthread_key_create(&errbuf_key, errbuf_free);
}

/* errbuf_get -- the calling thread's error texts, or NULL without memory */
static struct errbuf *
errbuf_get(void)
{
	if (errbuf == NULL) {
		pthread_once(&errbuf_once, errbuf_key_make);
		errbuf = calloc(1, sizeof(*errbuf));
		/* the key's destructor frees it when the thread ends */
		if (errbuf != NULL)
			(void)pthread_setspecific(errbuf_key, errbuf);
	}
	return errbuf;
}

/* pk_errormsg -- the detail of this thread's last failure, or "" */
const char *
pk_errormsg(void)
{
	if (errbuf != NULL)
		return errbuf->msg;
	return errfixed != NULL ? errfixed : "";
}

/* pk__err -- record the detail of a failure and return its code */
int
pk__err(int code, const char *fmt, ...)
{
	const char *text = pk_strerror(code);
	struct errbuf *b = errbuf_get();
	char *msg;
	int n;

	if (b == NULL) {
		errfixed = text;	/* static when there is no buffer */
		return code;
	}
	msg = b->msg;
	n = snprintf(msg, sizeof(b->msg), "%s", text);
	if (fmt != NULL && n > 0 && (size_t)n < sizeof(b->msg) - 2) {
		va_list ap;
		msg[n++] = ':';
		msg[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(msg + n, sizeof(b->msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* pk__err_pmemobj -- record a failure caused inside libpmemobj */
int
pk__err_pmemobj(int code, const char *what)
{
	const char *m = pmemobj_errormsg();
	return pk__err(code, "%s%s%s", what, m && *m ? ": " : "",
			m ? m : "");
}

/*
 * pk__errno_code -- the pmemkit code for an errno reported by libpmemobj:
 * running out of pool space is PK_ENOSPACE, whatever libpmemobj calls it.
 */
int
pk__errno_code(int err)
{
	if (err == ENOMEM || err == ENOSPC)
		return PK_ENOSPACE;
	return err > 0 ? err : EIO;
}

struct errinfo {
	int code;
	const char *text;	/* "NAME: message" */
	const char *cls;
};

static const struct errinfo errtab[] = {
#define PK_ERROR_ROW_(name, value, cls, msg) { value, #name ": " msg, #cls },
	PK_ERROR_TABLE(PK_ERROR_ROW_)
#undef PK_ERROR_ROW_
};

/* lookup -- the row of PK_ERROR_TABLE for code, or NULL */
static const struct errinfo *
lookup(int code)
{
	for (size_t i = 0; i < sizeof(errtab) / sizeof(errtab[0]); i++)
		if (errtab[i].code == code)
			return &errtab[i];
	return NULL;
}

/*
 * "NAME: message" for every errno value, built once: pk_strerror() returns
 * static strings that stay valid, whichever thread asks.
 */
#define ERRNO_MAX 256
static char *errno_text[ERRNO_MAX];
static pthread_once_t errno_once = PTHREAD_ONCE_INIT;

/* errno_init -- build the "NAME: message" text of every errno value */
static void
errno_init(void)
{
	for (int e = 1; e < ERRNO_MAX; e++) {
		const char *name = strerrorname_np(e);
		char buf[160];
		if (name == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s: %s", name, strerrordesc_np(e));
		errno_text[e] = strdup(buf); /* kept for the process's life */
	}
}

/*
 * pk_strerror -- "NAME: message" for a pmemkit code or an errno value;
 * static, but for an unknown code, whose text is this thread's until the
 * next one
 */
const char *
pk_strerror(int code)
{
	const struct errinfo *e;
	struct errbuf *b;
	char tmp[128];

	if (code == 0)
		return "PK_OK: success";
	if (code < 0) {
		e = lookup(code);
		if (e != NULL)
			return e->text;
	} else {
		pthread_once(&errno_once, errno_init);
		if (code < ERRNO_MAX && errno_text[code] != NULL)
			return errno_text[code];
	}
	if ((b = errbuf_get()) == NULL)
		return code < 0 ? "unknown pmemkit error" : "unknown errno";
	if (code < 0)
		snprintf(b->unknown, sizeof(b->unknown),
				"unknown pmemkit error %d", code);
	else
		snprintf(b->unknown, sizeof(b->unknown), "errno %d: %s", code,
				strerror_r(code, tmp, sizeof(tmp)));
	return b->unknown;
}

/* pk_error_class -- the bindings' exception class for code; "" for 0 */
const char *
pk_error_class(int code)
{
	const struct errinfo *e;

	if (code == 0)
		return "";
	if (code > 0)
		return "OSError";
	e = lookup(code);
	return e != NULL ? e->cls : "Error";
}

/* pk_version -- the library's version, "major.minor.patch" */
const char *
pk_version(void)
{
#define PK_STR2_(x) #x
#define PK_STR_(x) PK_STR2_(x)
	return PK_STR_(PK_VERSION_MAJOR) "." PK_STR_(PK_VERSION_MINOR) "."
		PK_STR_(PK_VERSION_PATCH);
}
