/*
 * order.c -- the total order of keys in sorted maps (pmemkit.h, "Sorted
 * maps"): nil, numbers by value, bytes, strings, tuples
 *
 * Keys are compared in canonical form (value.c), where an integral double
 * in int64's range is already that int. What is left to compare across
 * classes is an int with a non-integral or huge double, and a big int
 * (outside int64) with either; a huge double is an integer, so a big int
 * and a double compare exactly as integers, the double first when equal
 * (a map holds them as two keys, so the order must too).
 */
#include <math.h>
#include <string.h>

#include "internal.h"

/* rank -- the order of classes: nil, numbers, bytes, strings, tuples */
static int
rank(int cls)
{
	switch (cls) {
	case PK_KC_NIL: return 0;
	case PK_KC_INT:
	case PK_KC_DOUBLE:
	case PK_KC_BIGINT: return 1;
	case PK_KC_BYTES: return 2;
	case PK_KC_STRING: return 3;
	default: return 4;
	}
}

static int
sign3(int c)
{
	return (c > 0) - (c < 0);
}

/* big_neg -- whether a big int's minimal two's complement bytes are
 * negative (an empty one is 0) */
static int
big_neg(const uint8_t *p, size_t n)
{
	return n != 0 && (p[n - 1] & 0x80);
}

/* big_cmp -- two big ints, minimal little-endian two's complement */
static int
big_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int na = big_neg(a, an), nb = big_neg(b, bn);

	if (na != nb)
		return na ? -1 : 1;
	if (an != bn)	/* minimal: the longer is further from 0 */
		return (an > bn) == !na ? 1 : -1;
	/* same sign and length: the bit patterns order as the values */
	for (size_t i = an; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/*
 * dbl_big -- an integral double of magnitude 2^63 or more as a big int's
 * bytes (minimal two's complement) in buf, of 130 bytes at least
 */
static size_t
dbl_big(double d, uint8_t *buf)
{
	int e;
	double m = frexp(fabs(d), &e);	/* |d| = m * 2^e, 0.5 <= m < 1 */
	uint64_t mant = (uint64_t)ldexp(m, 53);	/* |d| = mant * 2^(e-53) */
	size_t n = (size_t)(e + 8) / 8 + 1, i;

	memset(buf, 0, n);
	for (i = 0; i < 53; i++)
		if (mant >> i & 1) {
			size_t bit = i + (size_t)e - 53;
			buf[bit / 8] |= (uint8_t)(1u << (bit % 8));
		}
	if (d < 0) {	/* negate: invert and add one */
		unsigned carry = 1;
		for (i = 0; i < n; i++) {
			unsigned v = (uint8_t)~buf[i] + carry;
			buf[i] = (uint8_t)v;
			carry = v >> 8;
		}
	}
	/* minimal: drop a top byte that only repeats the sign */
	while (n > 1 && ((buf[n - 1] == 0 && !(buf[n - 2] & 0x80)) ||
			(buf[n - 1] == 0xFF && (buf[n - 2] & 0x80))))
		n--;
	return n;
}

/* int_dbl -- an int against a double that is no int64 (canonical) */
static int
int_dbl(int64_t i, double d)
{
	if (isnan(d) || d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	/* non-integral, in range: i < d exactly when i <= floor(d) */
	return i <= (int64_t)floor(d) ? -1 : 1;
}

/* big_dbl -- a big int against a double that is no int64 */
static int
big_dbl(const uint8_t *p, size_t n, double d)
{
	uint8_t buf[136];
	size_t bn;
	int c;

	if (isnan(d))
		return -1;
	if (isinf(d))
		return d > 0 ? -1 : 1;
	if (fabs(d) < 9223372036854775808.0)	/* the big int is beyond */
		return big_neg(p, n) ? -1 : 1;
	bn = dbl_big(d, buf);
	c = big_cmp(p, n, buf, bn);
	return c != 0 ? c : 1;	/* equal values: the double first */
}

/* num_cmp -- two numbers in canonical form */
static int
num_cmp(const struct pk_key *a, const struct pk_key *b)
{
	if (a->cls == PK_KC_INT && b->cls == PK_KC_INT)
		return (a->i > b->i) - (a->i < b->i);
	if (a->cls == PK_KC_DOUBLE && b->cls == PK_KC_DOUBLE) {
		if (isnan(a->d) || isnan(b->d))
			return isnan(a->d) - isnan(b->d);
		return (a->d > b->d) - (a->d < b->d);
	}
	if (a->cls == PK_KC_BIGINT && b->cls == PK_KC_BIGINT)
		return big_cmp(a->ptr, a->len, b->ptr, b->len);
	if (a->cls == PK_KC_INT)
		return b->cls == PK_KC_DOUBLE ? int_dbl(a->i, b->d) :
			big_neg(b->ptr, b->len) ? 1 : -1;
	if (b->cls == PK_KC_INT)
		return -num_cmp(b, a);
	/* a big int and a double */
	return a->cls == PK_KC_BIGINT ? big_dbl(a->ptr, a->len, b->d) :
		-big_dbl(b->ptr, b->len, a->d);
}

/*
 * pk__key_order -- a total order on canonical keys (<0, 0, >0), 0 exactly
 * when pk__key_equal() says one key. Frozen sets have none: callers refuse
 * them as keys (they sort after tuples, by their encoding, if met in
 * damaged data).
 */
int
pk__key_order(const struct pk_key *a, const struct pk_key *b)
{
	int ra = rank(a->cls), rb = rank(b->cls);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0:
		return 0;
	case 1:
		return num_cmp(a, b);
	case 4:
		if (a->cls != b->cls)
			return a->cls < b->cls ? -1 : 1;
		return pk__tuple_cmp(a, b, pk__key_order);
	default: {
		size_t n = a->len < b->len ? a->len : b->len;
		int c = n != 0 ? memcmp(a->ptr, b->ptr, n) : 0;
		return c != 0 ? sign3(c) : (a->len > b->len) - (a->len < b->len);
	}
	}
}
