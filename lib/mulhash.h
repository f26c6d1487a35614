/*
 * mulhash.h -- the keyed hash of pools with PK_INCOMPAT_MULHASH: the data,
 * mixed with the pool's random 128-bit key, goes through 64x64->128-bit
 * multiplies whose halves are folded together (the construction of wyhash
 * and foldhash). A 16-byte key takes about 25 instructions, SipHash-1-3
 * about 140; on a lookup that misses the cache the count matters more
 * than it seems, as it decides whether the next lookup's miss starts
 * before this one's ends (doc/performance.md).
 *
 * What it gives up: SipHash is a PRF, so its outputs tell nothing of its
 * key; this hash only keeps someone who does not know the key from
 * choosing keys that collide. Pools created before it keep SipHash-1-3.
 * Its values are stored in every map, so it must never change. Inline,
 * for the lookup's fast path (map.c).
 */
#ifndef PK_MULHASH_H
#define PK_MULHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PK_MH_C1 0x9e3779b97f4a7c15ULL	/* odd constants with mixed bits */
#define PK_MH_C2 0xd6e8feb86659fd93ULL
#define PK_MH_C3 0xc2b2ae3d27d4eb4fULL

/*
 * pk__le64 -- the little-endian 64-bit word at p. Little-endian loads, so
 * that hashes are the same on every host (siphash.c uses them too).
 */
static inline uint64_t
pk__le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* pk__le32 -- the little-endian 32-bit word at p */
static inline uint64_t
pk__le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

/* pk__mh_fold -- the two halves of a * b, xored */
static inline uint64_t
pk__mh_fold(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * pk__mulhash -- the keyed hash of len bytes at data: 16-byte blocks folded
 * into an accumulator, then the last 16 bytes (all of them, if fewer)
 */
static inline uint64_t
pk__mulhash(const uint64_t key[2], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = key[0] ^ ((uint64_t)len * PK_MH_C1), a, b;

	if (len > 16) {
		size_t left = len;
		for (; left > 16; left -= 16, p += 16)
			acc = pk__mh_fold(pk__le64(p) ^ key[1],
					pk__le64(p + 8) ^ acc);
		/* the last 16 bytes, overlapping the last block read */
		a = pk__le64(p + left - 16);
		b = pk__le64(p + left - 8);
	} else if (len >= 8) {
		a = pk__le64(p);
		b = pk__le64(p + len - 8);
	} else if (len >= 4) {
		a = pk__le32(p);
		b = pk__le32(p + len - 4);
	} else if (len > 0) {
		a = (uint64_t)p[0] << 16 | (uint64_t)p[len >> 1] << 8 |
			p[len - 1];
		b = 0;
	} else {
		a = b = 0;
	}
	return pk__mh_fold(pk__mh_fold(a ^ key[1], b ^ acc) ^ PK_MH_C2,
			acc ^ PK_MH_C3);
}

#endif /* PK_MULHASH_H */
