#ifndef CURATE_MINHASH_H
#define CURATE_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/// An implementation of `cminhash_update`; each computes the same values.
typedef enum {
    /// Plain C with 128-bit products: any CPU.
    CMINHASH_PORTABLE = 0,
    /// Four permutations at a time (x86-64 with AVX2).
    CMINHASH_AVX2 = 1,
    /// Eight permutations at a time (x86-64 with AVX-512F).
    CMINHASH_AVX512 = 2,
} cminhash_kernel;

/// The fastest kernel this CPU (and its operating system) can run.
cminhash_kernel cminhash_best_kernel(void);

/// Whether this CPU can run `kernel`.
int cminhash_supports(cminhash_kernel kernel);

/// Lowers each `signature[k]` (k < count) to the least `(a[k] * h + b[k]) mod (2^61 - 1)` over
/// the `n` values h of `hashes`, if that is smaller. Every `a[k]`, `b[k]` and h must be below
/// 2^61 - 1, and `kernel` supported by this CPU.
void cminhash_update(cminhash_kernel kernel, const uint64_t *a, const uint64_t *b, size_t count,
                     const uint64_t *hashes, size_t n, uint64_t *signature);

#endif
