/*
 * json.c -- a strict JSON reader (RFC 8259), the writer's helpers, base64
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "pk.h"

struct rd {
	const char *b;
	size_t len, pos;
	char *err;
	size_t errlen;
	int failed;
};

/* rerr -- record the first error, with its byte offset */
static void rerr(struct rd *r, size_t at, const char *msg)
{
	if (!r->failed)
		snprintf(r->err, r->errlen, "bad JSON at byte %zu: %s", at, msg);
	r->failed = 1;
}

static void ws(struct rd *r)
{
	while (r->pos < r->len && (r->b[r->pos] == ' ' || r->b[r->pos] == '\t'
			|| r->b[r->pos] == '\n' || r->b[r->pos] == '\r'))
		r->pos++;
}

static void put_utf8(struct sbuf *s, unsigned c)
{
	char u[4];
	size_t n;
	if (c < 0x80) { u[0] = c; n = 1; }
	else if (c < 0x800) { u[0] = 0xC0 | c >> 6; u[1] = 0x80 | (c & 63); n = 2; }
	else if (c < 0x10000) { u[0] = 0xE0 | c >> 12; u[1] = 0x80 | (c >> 6 & 63);
		u[2] = 0x80 | (c & 63); n = 3; }
	else { u[0] = 0xF0 | c >> 18; u[1] = 0x80 | (c >> 12 & 63);
		u[2] = 0x80 | (c >> 6 & 63); u[3] = 0x80 | (c & 63); n = 4; }
	sb_add(s, u, n);
}

static int hex4(struct rd *r, unsigned *out)
{
	unsigned v = 0;
	if (r->len - r->pos < 4) {
		rerr(r, r->pos, "short \\u escape");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		char c = r->b[r->pos++];
		v <<= 4;
		if (c >= '0' && c <= '9') v |= c - '0';
		else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
		else { rerr(r, r->pos - 1, "bad \\u escape"); return -1; }
	}
	*out = v;
	return 0;
}

/* str -- a string after its opening quote, into v */
static int str(struct rd *r, struct jv *v)
{
	struct sbuf s = {0};
	while (1) {
		if (r->pos >= r->len) { rerr(r, r->pos, "unterminated string"); goto bad; }
		unsigned char c = r->b[r->pos];
		if (c == '"') { r->pos++; break; }
		if (c < 0x20) { rerr(r, r->pos, "control character in string"); goto bad; }
		if (c == '\\') {
			r->pos++;
			if (r->pos >= r->len) { rerr(r, r->pos, "unterminated string"); goto bad; }
			char e = r->b[r->pos++];
			const char *map = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
			const char *m = strchr(map, e);
			if (e && m) { sb_add(&s, to + (m - map), 1); continue; }
			if (e != 'u') { rerr(r, r->pos - 1, "bad escape"); goto bad; }
			unsigned u, lo;
			if (hex4(r, &u)) goto bad;
			if (u >= 0xDC00 && u < 0xE000) { rerr(r, r->pos - 6, "lone surrogate"); goto bad; }
			if (u >= 0xD800 && u < 0xDC00) {
				if (r->len - r->pos < 6 || r->b[r->pos] != '\\' || r->b[r->pos + 1] != 'u') {
					rerr(r, r->pos - 6, "lone surrogate"); goto bad;
				}
				r->pos += 2;
				if (hex4(r, &lo)) goto bad;
				if (lo < 0xDC00 || lo >= 0xE000) { rerr(r, r->pos - 12, "lone surrogate"); goto bad; }
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(&s, u);
			continue;
		}
		/* a run of raw bytes: must be UTF-8 */
		size_t st = r->pos;
		while (r->pos < r->len && (unsigned char)r->b[r->pos] >= 0x20
				&& r->b[r->pos] != '"' && r->b[r->pos] != '\\')
			r->pos++;
		if (!pk_utf8_valid(r->b + st, r->pos - st)) {
			rerr(r, st, "string is not UTF-8"); goto bad;
		}
		sb_add(&s, r->b + st, r->pos - st);
	}
	sb_add(&s, "", 1);
	v->t = J_STR;
	v->s = s.p;
	v->len = s.len - 1;
	return 0;
bad:
	sb_free(&s);
	return -1;
}

static int num(struct rd *r, struct jv *v)
{
	size_t st = r->pos;
	const char *b = r->b;
#define D(i) ((i) < r->len && b[i] >= '0' && b[i] <= '9')
	if (r->pos < r->len && b[r->pos] == '-') r->pos++;
	if (!D(r->pos)) { rerr(r, st, "bad number"); return -1; }
	if (b[r->pos] == '0') r->pos++;
	else while (D(r->pos)) r->pos++;
	if (r->pos < r->len && b[r->pos] == '.') {
		r->pos++;
		if (!D(r->pos)) { rerr(r, st, "bad number"); return -1; }
		while (D(r->pos)) r->pos++;
	}
	if (r->pos < r->len && (b[r->pos] == 'e' || b[r->pos] == 'E')) {
		r->pos++;
		if (r->pos < r->len && (b[r->pos] == '+' || b[r->pos] == '-')) r->pos++;
		if (!D(r->pos)) { rerr(r, st, "bad number"); return -1; }
		while (D(r->pos)) r->pos++;
	}
#undef D
	v->t = J_NUM;
	v->len = r->pos - st;
	v->s = malloc(v->len + 1);
	if (!v->s) die("out of memory");
	memcpy(v->s, b + st, v->len);
	v->s[v->len] = 0;
	return 0;
}

static int value(struct rd *r, struct jv *v, int depth)
{
	ws(r);
	memset(v, 0, sizeof(*v));
	v->off = r->pos;
	if (r->pos >= r->len) { rerr(r, r->pos, "unexpected end of input"); return -1; }
	char c = r->b[r->pos];
	if (depth > JSON_DEPTH) { rerr(r, r->pos, "nested deeper than 4096"); return -1; }
	if (c == '"') { r->pos++; return str(r, v); }
	if (c == '-' || (c >= '0' && c <= '9')) return num(r, v);
	static const struct { const char *w; enum jtype t; } lits[] = {
		{ "null", J_NULL }, { "true", J_TRUE }, { "false", J_FALSE } };
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(lits[i].w);
		if (r->len - r->pos >= n && !memcmp(r->b + r->pos, lits[i].w, n)) {
			r->pos += n;
			v->t = lits[i].t;
			return 0;
		}
	}
	if (c != '[' && c != '{') { rerr(r, r->pos, "unexpected character"); return -1; }
	int obj = c == '{';
	char close = obj ? '}' : ']';
	size_t cap = 0;
	v->t = obj ? J_OBJ : J_ARR;
	r->pos++;
	ws(r);
	if (r->pos < r->len && r->b[r->pos] == close) { r->pos++; return 0; }
	while (1) {
		size_t need = (v->n + 1) * (obj ? 2 : 1);
		if (need > cap) {
			cap = need * 2;
			v->a = realloc(v->a, cap * sizeof(*v->a));
			if (!v->a) die("out of memory");
		}
		struct jv *it = v->a + v->n * (obj ? 2 : 1);
		if (obj) {
			ws(r);
			if (r->pos >= r->len || r->b[r->pos] != '"') {
				rerr(r, r->pos, "expected a member name");
				return -1;
			}
			if (value(r, it, depth + 1)) return -1;
			v->n++; /* so that json_free frees it */
			it[1].t = J_NULL; it[1].a = NULL; it[1].s = NULL; it[1].n = 0;
			ws(r);
			if (r->pos >= r->len || r->b[r->pos] != ':') {
				rerr(r, r->pos, "expected ':'");
				return -1;
			}
			r->pos++;
			if (value(r, it + 1, depth + 1)) return -1;
		} else {
			if (value(r, it, depth + 1)) return -1;
			v->n++;
		}
		ws(r);
		if (r->pos < r->len && r->b[r->pos] == ',') { r->pos++; continue; }
		if (r->pos < r->len && r->b[r->pos] == close) { r->pos++; return 0; }
		rerr(r, r->pos, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return -1;
	}
}

struct jv *json_parse(const char *buf, size_t len, size_t *pos, char *err,
		size_t errlen)
{
	struct rd r = { buf, len, *pos, err, errlen, 0 };
	struct jv *v = calloc(1, sizeof(*v));
	if (!v) die("out of memory");
	if (value(&r, v, 0)) {
		json_free(v);
		return NULL;
	}
	ws(&r);
	*pos = r.pos;
	return v;
}

struct jv *json_parse_all(const char *buf, size_t len, char *err,
		size_t errlen)
{
	size_t pos = 0;
	struct jv *v = json_parse(buf, len, &pos, err, errlen);
	if (v && pos != len) {
		snprintf(err, errlen, "bad JSON at byte %zu: text after the value", pos);
		json_free(v);
		return NULL;
	}
	return v;
}

static void jfree(struct jv *v)
{
	size_t n = v->t == J_OBJ ? 2 * v->n : v->t == J_ARR ? v->n : 0;
	for (size_t i = 0; i < n; i++)
		jfree(&v->a[i]);
	free(v->a);
	free(v->s);
}

void json_free(struct jv *v)
{
	if (!v) return;
	jfree(v);
	free(v);
}

const struct jv *json_member(const struct jv *obj, const char *name)
{
	if (!obj || obj->t != J_OBJ) return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->a[2 * i].s, name) && strlen(name) == obj->a[2 * i].len)
			return &obj->a[2 * i + 1];
	return NULL;
}

/* ---- output ---- */
void sb_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p) die("out of memory");
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

void sb_puts(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < (int)sizeof(tmp)) { sb_add(b, tmp, n); return; }
	char *big = malloc(n + 1);
	if (!big) die("out of memory");
	va_start(ap, fmt);
	vsnprintf(big, n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, n);
	free(big);
}

void sb_free(struct sbuf *b) { free(b->p); b->p = NULL; b->len = b->cap = 0; }

/* sb_str -- UTF-8 text as a JSON string: only '"', '\\' and control
 * characters escaped, so the output is what the input was */
void sb_str(struct sbuf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	sb_add(b, "\"", 1);
	size_t st = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
		sb_add(b, s + st, i - st);
		st = i + 1;
		switch (c) {
		case '"': sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\t': sb_puts(b, "\\t"); break;
		case '\r': sb_puts(b, "\\r"); break;
		default: sb_printf(b, "\\u%04x", c);
		}
	}
	sb_add(b, s + st, n - st);
	sb_add(b, "\"", 1);
}

/* sb_double -- the shortest decimal that reads back as d, always with a
 * '.' or an 'e'; NaN and infinities in the tagged form */
void sb_double(struct sbuf *b, double d)
{
	if (isnan(d)) { sb_puts(b, "{\"$double\":\"nan\"}"); return; }
	if (isinf(d)) { sb_puts(b, d > 0 ? "{\"$double\":\"inf\"}" : "{\"$double\":\"-inf\"}"); return; }
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d) break;
	}
	/* %g writes e+20; JSON takes it */
	sb_puts(b, tmp);
	if (!strpbrk(tmp, ".eEn"))
		sb_puts(b, ".0");
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void sb_base64(struct sbuf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	char q[4];
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = s[i] << 16;
		if (i + 1 < n) v |= s[i + 1] << 8;
		if (i + 2 < n) v |= s[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		sb_add(b, q, 4);
	}
}

int base64_decode(unsigned char **out, size_t *outlen, const char *s,
		size_t n)
{
	if (n % 4) return -1;
	unsigned char *o = malloc(n / 4 * 3 + 1);
	if (!o) die("out of memory");
	size_t k = 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int j = 0; j < 4; j++) {
			char c = s[i + j];
			const char *m = c ? strchr(b64, c) : NULL;
			if (c == '=' && i + 4 == n && j >= 2) { pad++; v <<= 6; continue; }
			if (!m || pad) { free(o); return -1; }
			v = v << 6 | (unsigned)(m - b64);
		}
		/* canonical: the bits the padding drops are zero */
		if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) {
			free(o); return -1;
		}
		o[k++] = v >> 16;
		if (pad < 2) o[k++] = v >> 8 & 0xff;
		if (pad < 1) o[k++] = v & 0xff;
	}
	*out = o;
	*outlen = k;
	return 0;
}
