/*
 * error.c -- return codes, their messages, and the thread-local last error
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static PK_TLS char errmsg[512];

const char *
pk_errormsg(void)
{
	return errmsg;
}

/* pk__err -- record the detail of a failure and return its code */
int
pk__err(int code, const char *fmt, ...)
{
	int n = snprintf(errmsg, sizeof(errmsg), "%s", pk_strerror(code));
	if (fmt != NULL && n > 0 && (size_t)n < sizeof(errmsg) - 2) {
		va_list ap;
		errmsg[n++] = ':';
		errmsg[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(errmsg + n, sizeof(errmsg) - (size_t)n, fmt, ap);
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

const char *
pk_strerror(int code)
{
	static PK_TLS char unknown[160];
	const struct errinfo *e;
	char tmp[128];

	if (code == 0)
		return "PK_OK: success";
	if (code < 0) {
		e = lookup(code);
		if (e != NULL)
			return e->text;
		snprintf(unknown, sizeof(unknown), "unknown pmemkit error %d",
				code);
		return unknown;
	}
	pthread_once(&errno_once, errno_init);
	if (code < ERRNO_MAX && errno_text[code] != NULL)
		return errno_text[code];
	snprintf(unknown, sizeof(unknown), "errno %d: %s", code,
			strerror_r(code, tmp, sizeof(tmp)));
	return unknown;
}

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

const char *
pk_version(void)
{
#define PK_STR2_(x) #x
#define PK_STR_(x) PK_STR2_(x)
	return PK_STR_(PK_VERSION_MAJOR) "." PK_STR_(PK_VERSION_MINOR) "."
		PK_STR_(PK_VERSION_PATCH);
}
