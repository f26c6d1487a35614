/*
 * error.c -- return codes, their messages, and the thread-local last error
 */
#include <errno.h>
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

/* errno names for the codes pmemkit documents; others get strerror only */
static const char *
errno_name(int code)
{
	switch (code) {
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case EWOULDBLOCK: return "EWOULDBLOCK";
	case EIO: return "EIO";
	case EROFS: return "EROFS";
	case ENOTDIR: return "ENOTDIR";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EFBIG: return "EFBIG";
	default: return NULL;
	}
}

const char *
pk_strerror(int code)
{
	static __thread char buf[160];
	const struct errinfo *e;
	const char *name;
	char tmp[128];

	if (code == 0)
		return "PK_OK: success";
	if (code < 0) {
		e = lookup(code);
		if (e != NULL)
			return e->text;
		snprintf(buf, sizeof(buf), "unknown pmemkit error %d", code);
		return buf;
	}
	name = errno_name(code);
	/* GNU strerror_r returns the message, maybe not in tmp */
	const char *m = strerror_r(code, tmp, sizeof(tmp));
	if (name != NULL)
		snprintf(buf, sizeof(buf), "%s: %s", name, m);
	else
		snprintf(buf, sizeof(buf), "errno %d: %s", code, m);
	return buf;
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
