#ifndef CURATE_PARAGRAPH_H
#define CURATE_PARAGRAPH_H

#include <stddef.h>
#include <stdint.h>

/// An implementation of `cparagraph_count`; each gives the same counts.
typedef enum {
    /// Plain C, eight bytes at a time in a 64-bit word: any CPU.
    CPARAGRAPH_PORTABLE = 0,
    /// 16 bytes at a time (x86-64's baseline).
    CPARAGRAPH_SSE2 = 1,
    /// 32 bytes at a time (x86-64 with AVX2, BMI1, POPCNT).
    CPARAGRAPH_AVX2 = 2,
    /// 64 bytes at a time (x86-64 with AVX-512BW, BMI1, POPCNT).
    CPARAGRAPH_AVX512 = 3,
} cparagraph_kernel;

/// The fastest kernel this CPU (and its operating system) can run.
cparagraph_kernel cparagraph_best_kernel(void);

/// Whether this CPU can run `kernel`.
int cparagraph_supports(cparagraph_kernel kernel);

/// Lines (`\n`-separated) and long lines of a text.
typedef struct {
    /// The lines counted (all of them, unless counting stopped early).
    size_t lines;
    /// The lines with at least `min_chars` characters, counted up to `enough`.
    size_t long_lines;
} cparagraph_counts;

/// The lines of the `n` UTF-8 bytes at `text` and those with at least `min_chars` characters
/// (bytes that are not continuation bytes); counting stops once `enough` long lines are found.
/// `min_chars` must be at least 64 (a long line then never lies within one 64-byte block),
/// and `kernel` supported by this CPU.
cparagraph_counts cparagraph_count(cparagraph_kernel kernel, const uint8_t *text, size_t n,
                                   size_t min_chars, size_t enough);

#endif
