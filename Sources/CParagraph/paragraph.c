// Lines and long lines of a text, for c4_paragraph.
//
// The text is read in blocks of 64 bytes, each turned into a mask with a bit per newline byte.
// The lines are the newlines plus one (a popcount a block). A line of `min_chars` >= 64
// characters has at least 64 bytes, so it never lies inside one block: only the line that
// ends at a block's first newline (or at the end of the text) can be long, and it starts
// after the last newline of an earlier block. Its characters are counted only when its
// bytes are enough.
#include "paragraph.h"

#include <string.h>

/// Whether the `count` bytes at `line`, counted 64 at a time by `lead` (a bit per byte that is
/// not a UTF-8 continuation byte), hold at least `min` characters.
__attribute__((always_inline))
static inline int count_long(const uint8_t *line, size_t count, size_t min, uint64_t (*lead)(const uint8_t *)) {
    if (count < min) return 0;
    if (count >= 4 * min) return 1;
    size_t chars = 0, i = 0;
    for (; i + 64 <= count; i += 64) {
        chars += (size_t)__builtin_popcountll(lead(line + i));
        if (chars >= min) return 1;
    }
    for (; i < count; i++) chars += (line[i] & 0xC0) != 0x80;
    return chars >= min;
}

/// The counts, with `newlines` turning 64 bytes into a mask and `is_long` telling a long line.
__attribute__((always_inline))
static inline cparagraph_counts count_blocks(const uint8_t *text, size_t n, size_t min, size_t enough,
                                             uint64_t (*newlines)(const uint8_t *),
                                             int (*is_long)(const uint8_t *, size_t, size_t)) {
    cparagraph_counts counts = {1, 0};
    // The start of the line that goes on at `i`.
    size_t start = 0, i = 0;
// The line ending at the first newline of mask `m` of the block at `at` (if any).
#define CPARAGRAPH_BLOCK(at, m)                                                                   \
    do {                                                                                          \
        if (m) {                                                                                  \
            size_t end = (at) + (size_t)__builtin_ctzll(m);                                       \
            if (end - start >= min && is_long(text + start, end - start, min) &&            \
                ++counts.long_lines >= enough)                                                    \
                return counts;                                                                    \
            start = (at) + 64 - (size_t)__builtin_clzll(m);                                       \
        }                                                                                         \
    } while (0)
    for (; i + 256 <= n; i += 256) {
        uint64_t m0 = newlines(text + i), m1 = newlines(text + i + 64);
        uint64_t m2 = newlines(text + i + 128), m3 = newlines(text + i + 192);
        counts.lines += (size_t)(__builtin_popcountll(m0) + __builtin_popcountll(m1) +
                                 __builtin_popcountll(m2) + __builtin_popcountll(m3));
        if (m0 && m1 && m2 && m3 && min >= 128) {
            // Lines between two of these newlines are shorter than 128 bytes.
            size_t end = i + (size_t)__builtin_ctzll(m0);
            if (end - start >= min && is_long(text + start, end - start, min) && ++counts.long_lines >= enough)
                return counts;
            start = i + 256 - (size_t)__builtin_clzll(m3);
        } else {
            CPARAGRAPH_BLOCK(i, m0);
            CPARAGRAPH_BLOCK(i + 64, m1);
            CPARAGRAPH_BLOCK(i + 128, m2);
            CPARAGRAPH_BLOCK(i + 192, m3);
        }
    }
    for (; i + 64 <= n; i += 64) {
        uint64_t m = newlines(text + i);
        counts.lines += (size_t)__builtin_popcountll(m);
        CPARAGRAPH_BLOCK(i, m);
    }
    if (i < n) {
        uint8_t last[64] = {0};
        memcpy(last, text + i, n - i);
        uint64_t m = newlines(last) & ((UINT64_C(1) << (n - i)) - 1);
        counts.lines += (size_t)__builtin_popcountll(m);
        CPARAGRAPH_BLOCK(i, m);
    }
#undef CPARAGRAPH_BLOCK
    if (n - start >= min && is_long(text + start, n - start, min)) counts.long_lines++;
    return counts;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HIGH_BITS UINT64_C(0x8080808080808080)

/// Bit k of the result for byte k of `word` whose top bit is set in `high` (only top bits).
static inline uint64_t gather_bytes(uint64_t high) {
    // Each byte's bit moved to bit 0, then all eight summed into the top byte, byte k at bit k.
    return ((high >> 7) * UINT64_C(0x0102040810204080)) >> 56;
}

static inline uint64_t load_word(const uint8_t *p) {
    uint64_t word;
    memcpy(&word, p, 8);
    return word;
}

static uint64_t newlines_portable(const uint8_t *p) {
    uint64_t m = 0;
    for (int k = 0; k < 8; k++) {
        uint64_t x = load_word(p + 8 * k) ^ UINT64_C(0x0A0A0A0A0A0A0A0A);
        // A byte's top bit ends up set exactly when the byte is zero: no carry crosses bytes.
        uint64_t zero = ~(((x & ~HIGH_BITS) + ~HIGH_BITS) | x) & HIGH_BITS;
        m |= gather_bytes(zero) << (8 * k);
    }
    return m;
}

static uint64_t lead_portable(const uint8_t *p) {
    uint64_t m = 0;
    for (int k = 0; k < 8; k++) {
        uint64_t word = load_word(p + 8 * k);
        // A continuation byte, 10xxxxxx: its bit 7 set and bit 6 (shifted onto bit 7) not.
        uint64_t continuation = word & ~(word << 1) & HIGH_BITS;
        m |= gather_bytes(~continuation & HIGH_BITS) << (8 * k);
    }
    return m;
}
#else
static uint64_t newlines_portable(const uint8_t *p) {
    uint64_t m = 0;
    for (int k = 0; k < 64; k++) m |= (uint64_t)(p[k] == '\n') << k;
    return m;
}

static uint64_t lead_portable(const uint8_t *p) {
    uint64_t m = 0;
    for (int k = 0; k < 64; k++) m |= (uint64_t)((p[k] & 0xC0) != 0x80) << k;
    return m;
}
#endif

// Long lines are few: their test stays out of the block loop.
__attribute__((noinline))
static int is_long_portable(const uint8_t *line, size_t count, size_t min) {
    return count_long(line, count, min, lead_portable);
}

static cparagraph_counts count_portable(const uint8_t *text, size_t n, size_t min, size_t enough) {
    return count_blocks(text, n, min, enough, newlines_portable, is_long_portable);
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((always_inline))
static inline uint64_t newlines_sse2(const uint8_t *p) {
    const __m128i nl = _mm_set1_epi8('\n');
    uint64_t m = 0;
    for (int k = 0; k < 4; k++)
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), nl)) << (16 * k);
    return m;
}

__attribute__((always_inline))
static inline uint64_t lead_sse2(const uint8_t *p) {
    // A continuation byte, 10xxxxxx, is below -64 as a signed byte.
    const __m128i bound = _mm_set1_epi8(-65);
    uint64_t m = 0;
    for (int k = 0; k < 4; k++)
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), bound)) << (16 * k);
    return m;
}

__attribute__((noinline))
static int is_long_sse2(const uint8_t *line, size_t count, size_t min) {
    return count_long(line, count, min, lead_sse2);
}

static cparagraph_counts count_sse2(const uint8_t *text, size_t n, size_t min, size_t enough) {
    return count_blocks(text, n, min, enough, newlines_sse2, is_long_sse2);
}

__attribute__((target("avx2,bmi,popcnt,lzcnt"), always_inline))
static inline uint64_t newlines_avx2(const uint8_t *p) {
    const __m256i nl = _mm256_set1_epi8('\n');
    uint32_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)p), nl));
    uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), nl));
    return (uint64_t)high << 32 | low;
}

__attribute__((target("avx2,bmi,popcnt,lzcnt"), always_inline))
static inline uint64_t lead_avx2(const uint8_t *p) {
    const __m256i bound = _mm256_set1_epi8(-65);
    uint32_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_loadu_si256((const __m256i *)p), bound));
    uint32_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_loadu_si256((const __m256i *)(p + 32)), bound));
    return (uint64_t)high << 32 | low;
}

__attribute__((target("avx2,bmi,popcnt,lzcnt"), noinline))
static int is_long_avx2(const uint8_t *line, size_t count, size_t min) {
    return count_long(line, count, min, lead_avx2);
}

__attribute__((target("avx2,bmi,popcnt,lzcnt")))
static cparagraph_counts count_avx2(const uint8_t *text, size_t n, size_t min, size_t enough) {
    return count_blocks(text, n, min, enough, newlines_avx2, is_long_avx2);
}

__attribute__((target("avx512f,avx512bw,bmi,popcnt,lzcnt"), always_inline))
static inline uint64_t newlines_avx512(const uint8_t *p) {
    return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8('\n'));
}

__attribute__((target("avx512f,avx512bw,bmi,popcnt,lzcnt"), always_inline))
static inline uint64_t lead_avx512(const uint8_t *p) {
    return _mm512_cmpgt_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8(-65));
}

__attribute__((target("avx512f,avx512bw,bmi,popcnt,lzcnt"), noinline))
static int is_long_avx512(const uint8_t *line, size_t count, size_t min) {
    return count_long(line, count, min, lead_avx512);
}

__attribute__((target("avx512f,avx512bw,bmi,popcnt,lzcnt")))
static cparagraph_counts count_avx512(const uint8_t *text, size_t n, size_t min, size_t enough) {
    return count_blocks(text, n, min, enough, newlines_avx512, is_long_avx512);
}
#endif

int cparagraph_supports(cparagraph_kernel kernel) {
    switch (kernel) {
    case CPARAGRAPH_PORTABLE: return 1;
#if defined(__x86_64__)
    case CPARAGRAPH_SSE2: return 1;
    case CPARAGRAPH_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
    case CPARAGRAPH_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
#endif
    default: return 0;
    }
}

cparagraph_kernel cparagraph_best_kernel(void) {
    if (cparagraph_supports(CPARAGRAPH_AVX512)) return CPARAGRAPH_AVX512;
    if (cparagraph_supports(CPARAGRAPH_AVX2)) return CPARAGRAPH_AVX2;
    if (cparagraph_supports(CPARAGRAPH_SSE2)) return CPARAGRAPH_SSE2;
    return CPARAGRAPH_PORTABLE;
}

cparagraph_counts cparagraph_count(cparagraph_kernel kernel, const uint8_t *text, size_t n, size_t min_chars,
                                   size_t enough) {
    switch (kernel) {
#if defined(__x86_64__)
    case CPARAGRAPH_AVX512: return count_avx512(text, n, min_chars, enough);
    case CPARAGRAPH_AVX2: return count_avx2(text, n, min_chars, enough);
    case CPARAGRAPH_SSE2: return count_sse2(text, n, min_chars, enough);
#endif
    default: return count_portable(text, n, min_chars, enough);
    }
}
