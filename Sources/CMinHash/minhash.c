// The MinHash permute-and-min kernel: for every hash h and permutation k,
// signature[k] = min(signature[k], (a[k] * h + b[k]) mod p) with p = 2^61 - 1.
//
// The vector kernels multiply 31-bit halves with the 32 x 32 -> 64-bit lane multiply
// (vpmuludq). With a = a1 * 2^31 + a0 and h = h1 * 2^31 + h0 (a0, h0 < 2^31; a1, h1 < 2^30):
//   a * h = a1 h1 2^62 + (a1 h0 + a0 h1) 2^31 + a0 h0,
// and since 2^61 = 1 (mod p): a1 h1 2^62 = 2 a1 h1 (< 2^61); for m = a1 h0 + a0 h1 (< 2^62),
// m 2^31 = (m >> 30) 2^61 + (m mod 2^30) 2^31 = (m >> 30) + ((m << 31) & p), both below 2^61;
// a0 h0 < 2^62. With b, the sum stays below 5 * 2^61 + 2^32 < 2^64; folding the bits above
// 61 onto the low ones leaves at most p + 4, and one conditional subtraction of p the residue.
#include "minhash.h"

#if !defined(__SIZEOF_INT128__)
#error "the portable MinHash kernel needs 128-bit integers"
#endif

#define PRIME ((UINT64_C(1) << 61) - 1)
#define LOW31 ((UINT64_C(1) << 31) - 1)

static void update_portable(const uint64_t *a, const uint64_t *b, size_t count,
                            const uint64_t *hashes, size_t n, uint64_t *signature) {
    for (size_t i = 0; i < n; i++) {
        uint64_t h = hashes[i];
        for (size_t k = 0; k < count; k++) {
            unsigned __int128 product = (unsigned __int128)a[k] * h;
            uint64_t low = (uint64_t)product, high = (uint64_t)(product >> 64);
            // a * h < 2^122: its bits from 61 up are worth 1 each (2^61 = 1 mod p).
            uint64_t v = (low & PRIME) + (high << 3 | low >> 61) + b[k];
            v = (v & PRIME) + (v >> 61);
            v = v >= PRIME ? v - PRIME : v;
            if (v < signature[k]) signature[k] = v;
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

/// Permutations per block of the vector kernels: at most this many vectors of signature stay
/// in registers while all hashes stream past them.
#define VECTORS512 7
#define VECTORS256 4

/// The a0, a1, 2 a1 and b of a block's permutations, and its signature, zero past `width`.
typedef struct {
    uint64_t a0[VECTORS512 * 8], a1[VECTORS512 * 8], a1x2[VECTORS512 * 8], b[VECTORS512 * 8];
    uint64_t signature[VECTORS512 * 8];
} block_values;

static void load_block(const uint64_t *a, const uint64_t *b, const uint64_t *signature, size_t width,
                       size_t padded, block_values *block) {
    for (size_t k = 0; k < padded; k++) {
        uint64_t ak = k < width ? a[k] : 0;
        block->a0[k] = ak & LOW31;
        block->a1[k] = ak >> 31;
        block->a1x2[k] = (ak >> 31) << 1;
        block->b[k] = k < width ? b[k] : 0;
        block->signature[k] = k < width ? signature[k] : 0;
    }
}

__attribute__((target("avx512f"), always_inline))
static inline void block_avx512(block_values *block, const uint64_t *hashes, size_t n, const int vectors) {
    const __m512i prime = _mm512_set1_epi64(PRIME);
    __m512i a0[VECTORS512], a1[VECTORS512], a1x2[VECTORS512], b[VECTORS512], s[VECTORS512];
#pragma clang loop unroll(full)
    for (int j = 0; j < vectors; j++) {
        a0[j] = _mm512_loadu_si512(block->a0 + 8 * j);
        a1[j] = _mm512_loadu_si512(block->a1 + 8 * j);
        a1x2[j] = _mm512_loadu_si512(block->a1x2 + 8 * j);
        b[j] = _mm512_loadu_si512(block->b + 8 * j);
        s[j] = _mm512_loadu_si512(block->signature + 8 * j);
    }
    for (size_t i = 0; i < n; i++) {
        const __m512i h0 = _mm512_set1_epi64((long long)(hashes[i] & LOW31));
        const __m512i h1 = _mm512_set1_epi64((long long)(hashes[i] >> 31));
#pragma clang loop unroll(full)
        for (int j = 0; j < vectors; j++) {
            __m512i m = _mm512_add_epi64(_mm512_mul_epu32(a1[j], h0), _mm512_mul_epu32(a0[j], h1));
            __m512i v = _mm512_add_epi64(_mm512_mul_epu32(a0[j], h0), _mm512_mul_epu32(a1x2[j], h1));
            v = _mm512_add_epi64(v, _mm512_srli_epi64(m, 30));
            v = _mm512_add_epi64(v, _mm512_and_si512(_mm512_slli_epi64(m, 31), prime));
            v = _mm512_add_epi64(v, b[j]);
            v = _mm512_add_epi64(_mm512_and_si512(v, prime), _mm512_srli_epi64(v, 61));
            v = _mm512_min_epu64(v, _mm512_sub_epi64(v, prime));
            s[j] = _mm512_min_epu64(s[j], v);
        }
    }
#pragma clang loop unroll(full)
    for (int j = 0; j < vectors; j++) _mm512_storeu_si512(block->signature + 8 * j, s[j]);
}

__attribute__((target("avx512f")))
static void update_avx512(const uint64_t *a, const uint64_t *b, size_t count,
                          const uint64_t *hashes, size_t n, uint64_t *signature) {
    block_values block;
    for (size_t start = 0; start < count; start += VECTORS512 * 8) {
        size_t width = count - start < VECTORS512 * 8 ? count - start : VECTORS512 * 8;
        size_t vectors = (width + 7) / 8;
        load_block(a + start, b + start, signature + start, width, vectors * 8, &block);
        switch (vectors) {
        case 1: block_avx512(&block, hashes, n, 1); break;
        case 2: block_avx512(&block, hashes, n, 2); break;
        case 3: block_avx512(&block, hashes, n, 3); break;
        case 4: block_avx512(&block, hashes, n, 4); break;
        case 5: block_avx512(&block, hashes, n, 5); break;
        case 6: block_avx512(&block, hashes, n, 6); break;
        default: block_avx512(&block, hashes, n, 7); break;
        }
        for (size_t k = 0; k < width; k++) signature[start + k] = block.signature[k];
    }
}

__attribute__((target("avx2"), always_inline))
static inline void block_avx2(block_values *block, const uint64_t *hashes, size_t n, const int vectors) {
    const __m256i prime = _mm256_set1_epi64x(PRIME);
    __m256i a0[VECTORS256], a1[VECTORS256], a1x2[VECTORS256], b[VECTORS256], s[VECTORS256];
#pragma clang loop unroll(full)
    for (int j = 0; j < vectors; j++) {
        a0[j] = _mm256_loadu_si256((const __m256i *)(block->a0 + 4 * j));
        a1[j] = _mm256_loadu_si256((const __m256i *)(block->a1 + 4 * j));
        a1x2[j] = _mm256_loadu_si256((const __m256i *)(block->a1x2 + 4 * j));
        b[j] = _mm256_loadu_si256((const __m256i *)(block->b + 4 * j));
        s[j] = _mm256_loadu_si256((const __m256i *)(block->signature + 4 * j));
    }
    for (size_t i = 0; i < n; i++) {
        const __m256i h0 = _mm256_set1_epi64x((long long)(hashes[i] & LOW31));
        const __m256i h1 = _mm256_set1_epi64x((long long)(hashes[i] >> 31));
#pragma clang loop unroll(full)
        for (int j = 0; j < vectors; j++) {
            __m256i m = _mm256_add_epi64(_mm256_mul_epu32(a1[j], h0), _mm256_mul_epu32(a0[j], h1));
            __m256i v = _mm256_add_epi64(_mm256_mul_epu32(a0[j], h0), _mm256_mul_epu32(a1x2[j], h1));
            v = _mm256_add_epi64(v, _mm256_srli_epi64(m, 30));
            v = _mm256_add_epi64(v, _mm256_and_si256(_mm256_slli_epi64(m, 31), prime));
            v = _mm256_add_epi64(v, b[j]);
            v = _mm256_add_epi64(_mm256_and_si256(v, prime), _mm256_srli_epi64(v, 61));
            // Every value is below 2^63, so signed comparisons order them: v - p is negative
            // (sign bit set) exactly when v is already below p.
            __m256i reduced = _mm256_sub_epi64(v, prime);
            v = _mm256_castpd_si256(_mm256_blendv_pd(_mm256_castsi256_pd(reduced), _mm256_castsi256_pd(v),
                                                     _mm256_castsi256_pd(reduced)));
            s[j] = _mm256_blendv_epi8(s[j], v, _mm256_cmpgt_epi64(s[j], v));
        }
    }
#pragma clang loop unroll(full)
    for (int j = 0; j < vectors; j++) _mm256_storeu_si256((__m256i *)(block->signature + 4 * j), s[j]);
}

__attribute__((target("avx2")))
static void update_avx2(const uint64_t *a, const uint64_t *b, size_t count,
                        const uint64_t *hashes, size_t n, uint64_t *signature) {
    block_values block;
    for (size_t start = 0; start < count; start += VECTORS256 * 4) {
        size_t width = count - start < VECTORS256 * 4 ? count - start : VECTORS256 * 4;
        size_t vectors = (width + 3) / 4;
        load_block(a + start, b + start, signature + start, width, vectors * 4, &block);
        switch (vectors) {
        case 1: block_avx2(&block, hashes, n, 1); break;
        case 2: block_avx2(&block, hashes, n, 2); break;
        case 3: block_avx2(&block, hashes, n, 3); break;
        default: block_avx2(&block, hashes, n, 4); break;
        }
        for (size_t k = 0; k < width; k++) signature[start + k] = block.signature[k];
    }
}
#endif

int cminhash_supports(cminhash_kernel kernel) {
    switch (kernel) {
    case CMINHASH_PORTABLE: return 1;
#if defined(__x86_64__)
    // These also check that the operating system saves the vector registers.
    case CMINHASH_AVX2: __builtin_cpu_init(); return __builtin_cpu_supports("avx2");
    case CMINHASH_AVX512: __builtin_cpu_init(); return __builtin_cpu_supports("avx512f");
#endif
    default: return 0;
    }
}

cminhash_kernel cminhash_best_kernel(void) {
    if (cminhash_supports(CMINHASH_AVX512)) return CMINHASH_AVX512;
    if (cminhash_supports(CMINHASH_AVX2)) return CMINHASH_AVX2;
    return CMINHASH_PORTABLE;
}

void cminhash_update(cminhash_kernel kernel, const uint64_t *a, const uint64_t *b, size_t count,
                     const uint64_t *hashes, size_t n, uint64_t *signature) {
    switch (kernel) {
#if defined(__x86_64__)
    case CMINHASH_AVX512: update_avx512(a, b, count, hashes, n, signature); return;
    case CMINHASH_AVX2: update_avx2(a, b, count, hashes, n, signature); return;
#endif
    default: update_portable(a, b, count, hashes, n, signature); return;
    }
}
