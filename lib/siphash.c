/*
 * siphash.c -- SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012), the keyed hash CPython and Rust use for their
 * hash tables. A per-pool random key keeps an attacker who does not know
 * it from choosing keys that collide.
 */
#include <string.h>

#include "internal.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

/* siphash -- SipHash-c-d of data under key */
static inline uint64_t
siphash(const uint64_t key[2], const void *data, size_t len, int c, int d)
{
	const uint8_t *p = data;
	const uint8_t *end = p + (len & ~(size_t)7);
	uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
	uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
	uint64_t v3 = 0x7465646279746573ULL ^ key[1];
	uint64_t m, b = (uint64_t)len << 56;
	int i;

	for (; p != end; p += 8) {
		m = pk__le64(p);
		v3 ^= m;
		for (i = 0; i < c; i++)
			SIPROUND;
		v0 ^= m;
	}
	switch (len & 7) {
	case 7: b |= (uint64_t)p[6] << 48; /* fall through */
	case 6: b |= (uint64_t)p[5] << 40; /* fall through */
	case 5: b |= (uint64_t)p[4] << 32; /* fall through */
	case 4: b |= (uint64_t)p[3] << 24; /* fall through */
	case 3: b |= (uint64_t)p[2] << 16; /* fall through */
	case 2: b |= (uint64_t)p[1] << 8; /* fall through */
	case 1: b |= (uint64_t)p[0]; break;
	case 0: break;
	}
	v3 ^= b;
	for (i = 0; i < c; i++)
		SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	for (i = 0; i < d; i++)
		SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* pk__siphash13 -- the keyed hash of pools without PK_INCOMPAT_MULHASH */
uint64_t
pk__siphash13(const uint64_t key[2], const void *data, size_t len)
{
	return siphash(key, data, len, 1, 3);
}

/*
 * pk__siphash24 -- SipHash-2-4, for checking this implementation against
 * the paper's test vectors (tests/test_map.c)
 */
PK_HIDDEN uint64_t pk__siphash24(const uint64_t key[2], const void *data,
		size_t len);
uint64_t
pk__siphash24(const uint64_t key[2], const void *data, size_t len)
{
	return siphash(key, data, len, 2, 4);
}
