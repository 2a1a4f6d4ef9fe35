// The trainer's element-wise and row kernels, the work around OpenBLAS's matrix products:
// GELU, softmax, LayerNorm, column sums, AdamW.
//
// Header-only because this module is a system-library target, which compiles no sources:
// the importing Swift module compiles what it calls. Each kernel's body is written once on
// sixteen-float vectors and compiled three times, for AVX-512, for AVX2 and for baseline
// x86-64 (SSE2), the widest the CPU supports chosen per call. Multiplications and additions
// are never fused and reductions add their lanes in a fixed order, so every variant gives
// the same bits.
#ifndef CURATE_VECTOR_KERNELS_H
#define CURATE_VECTOR_KERNELS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

typedef float vk_v16f __attribute__((ext_vector_type(16)));
typedef int32_t vk_v16i __attribute__((ext_vector_type(16)));
typedef float vk_v8f __attribute__((ext_vector_type(8)));
typedef float vk_v4f __attribute__((ext_vector_type(4)));
typedef double vk_v8d __attribute__((ext_vector_type(8)));
typedef double vk_v4d __attribute__((ext_vector_type(4)));

#define VK_INLINE static inline __attribute__((always_inline))
#define VK_LANES 16

VK_INLINE vk_v16f vk_load(const float *p) {
    vk_v16f v;
    memcpy(&v, p, sizeof v);
    return v;
}

VK_INLINE void vk_store(float *p, vk_v16f v) { memcpy(p, &v, sizeof v); }

/// The first `n` (< 16) floats at `p`, `fill` after.
VK_INLINE vk_v16f vk_load_part(const float *p, size_t n, float fill) {
    vk_v16f v = fill;
    memcpy(&v, p, n * sizeof(float));
    return v;
}

VK_INLINE void vk_store_part(float *p, vk_v16f v, size_t n) { memcpy(p, &v, n * sizeof(float)); }

/// `v` in the lanes below `n`, 0 from `n` on.
VK_INLINE vk_v16f vk_first(vk_v16f v, size_t n) {
    const vk_v16i lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    return (vk_v16f)((vk_v16i)v & (lane < (int32_t)n));
}

/// The sum of the lanes, as halves added pairwise.
VK_INLINE float vk_sum(vk_v16f v) {
    vk_v8f a = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    vk_v4f b = __builtin_shufflevector(a, a, 0, 1, 2, 3) + __builtin_shufflevector(a, a, 4, 5, 6, 7);
    return (b[0] + b[2]) + (b[1] + b[3]);
}

VK_INLINE float vk_max(vk_v16f v) {
    vk_v8f a = __builtin_elementwise_max(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7),
                                         __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
    vk_v4f b = __builtin_elementwise_max(__builtin_shufflevector(a, a, 0, 1, 2, 3), __builtin_shufflevector(a, a, 4, 5, 6, 7));
    return fmaxf(fmaxf(b[0], b[2]), fmaxf(b[1], b[3]));
}

/// e^x within 1e-7 relative error over [-87, 88] (inputs outside are clamped to it):
/// x = k ln 2 + r with |r| <= ln 2 / 2, e^r by its degree-7 Taylor polynomial (truncation
/// error below 6e-9), 2^k built in the exponent bits.
VK_INLINE vk_v16f vk_exp(vk_v16f x) {
    x = __builtin_elementwise_min(__builtin_elementwise_max(x, (vk_v16f)-87.0f), (vk_v16f)88.0f);
    // Adding 1.5 * 2^23 rounds x / ln 2 to an integer k, which then sits in the low mantissa bits.
    const vk_v16f magic = 12582912.0f;
    vk_v16f shifted = x * 1.4426950408889634f + magic;
    vk_v16f k = shifted - magic;
    // ln 2 in two parts, so that k * ln2High is exact.
    vk_v16f r = x - k * 0.693145751953125f - k * 1.428606765330187e-6f;
    vk_v16f p = 1.0f / 5040;
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1;
    p = p * r + 1;
    vk_v16i exponent = ((vk_v16i)shifted - 0x4B400000 + 127) << 23;
    return p * (vk_v16f)exponent;
}

// GPT-2's GELU, 0.5 x (1 + tanh(u)) with u = √(2/π) (x + 0.044715 x³), computed as the equal
// x σ(2u): one exp, and no cancellation where tanh(u) is near -1.
#define VK_GELU_SCALE 0.7978845608028654f

VK_INLINE vk_v16f vk_gelu_gate(vk_v16f x) {
    vk_v16f u = VK_GELU_SCALE * (x + 0.044715f * (x * x) * x);
    return 1.0f / (1.0f + vk_exp(-2.0f * u));
}

VK_INLINE vk_v16f vk_gelu_derivative(vk_v16f x) {
    vk_v16f s = vk_gelu_gate(x);
    vk_v16f du = VK_GELU_SCALE * (1.0f + 3.0f * 0.044715f * (x * x));
    // d/dx x σ(2u) = σ + x σ (1 - σ) 2 u'
    return s + x * s * (1.0f - s) * 2.0f * du;
}

VK_INLINE void vk_gelu_forward_body(float *out, const float *in, size_t n) {
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES) {
        vk_v16f x = vk_load(in + i);
        vk_store(out + i, x * vk_gelu_gate(x));
    }
    if (i < n) {
        vk_v16f x = vk_load_part(in + i, n - i, 0);
        vk_store_part(out + i, x * vk_gelu_gate(x), n - i);
    }
}

VK_INLINE void vk_gelu_backward_body(float *din, const float *in, const float *dout, size_t n) {
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES) vk_store(din + i, vk_gelu_derivative(vk_load(in + i)) * vk_load(dout + i));
    if (i < n) {
        vk_v16f local = vk_gelu_derivative(vk_load_part(in + i, n - i, 0));
        vk_store_part(din + i, local * vk_load_part(dout + i, n - i, 0), n - i);
    }
}

VK_INLINE void vk_softmax_body(float *x, size_t n) {
    vk_v16f maxima = -INFINITY;
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES) maxima = __builtin_elementwise_max(maxima, vk_load(x + i));
    if (i < n) maxima = __builtin_elementwise_max(maxima, vk_load_part(x + i, n - i, -INFINITY));
    float maximum = vk_max(maxima);
    vk_v16f sums = 0;
    for (i = 0; i + VK_LANES <= n; i += VK_LANES) {
        vk_v16f e = vk_exp(vk_load(x + i) - maximum);
        sums += e;
        vk_store(x + i, e);
    }
    if (i < n) {
        vk_v16f e = vk_first(vk_exp(vk_load_part(x + i, n - i, 0) - maximum), n - i);
        sums += e;
        vk_store_part(x + i, e, n - i);
    }
    float inverse = 1.0f / vk_sum(sums);
    for (i = 0; i + VK_LANES <= n; i += VK_LANES) vk_store(x + i, vk_load(x + i) * inverse);
    if (i < n) vk_store_part(x + i, vk_load_part(x + i, n - i, 0) * inverse, n - i);
}

VK_INLINE void vk_softmax_backward_body(float *g, const float *p, size_t n, float scale) {
    vk_v16f dots = 0;
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES) dots += vk_load(p + i) * vk_load(g + i);
    if (i < n) dots += vk_load_part(p + i, n - i, 0) * vk_load_part(g + i, n - i, 0);
    float dot = vk_sum(dots);
    for (i = 0; i + VK_LANES <= n; i += VK_LANES) vk_store(g + i, vk_load(p + i) * (vk_load(g + i) - dot) * scale);
    if (i < n) vk_store_part(g + i, vk_load_part(p + i, n - i, 0) * (vk_load_part(g + i, n - i, 0) - dot) * scale, n - i);
}

VK_INLINE void vk_scale_body(float *x, size_t n, float scale) {
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES) vk_store(x + i, vk_load(x + i) * scale);
    if (i < n) vk_store_part(x + i, vk_load_part(x + i, n - i, 0) * scale, n - i);
}

VK_INLINE void vk_bias_rows_body(float *out, const float *residual, const float *bias, size_t rows, size_t c) {
    for (size_t r = 0; r < rows; r++) {
        float *y = out + r * c;
        if (!residual) {
            memcpy(y, bias, c * sizeof(float));
            continue;
        }
        const float *x = residual + r * c;
        size_t i = 0;
        for (; i + VK_LANES <= c; i += VK_LANES) vk_store(y + i, vk_load(x + i) + vk_load(bias + i));
        if (i < c) vk_store_part(y + i, vk_load_part(x + i, c - i, 0) + vk_load_part(bias + i, c - i, 0), c - i);
    }
}

VK_INLINE void vk_layer_norm_forward_body(float *out, float *mean, float *rstd, const float *in, const float *weight,
                                          const float *bias, size_t rows, size_t c, float epsilon) {
    for (size_t r = 0; r < rows; r++) {
        const float *x = in + r * c;
        float *y = out + r * c;
        vk_v16f sums = 0;
        size_t i = 0;
        for (; i + VK_LANES <= c; i += VK_LANES) sums += vk_load(x + i);
        if (i < c) sums += vk_load_part(x + i, c - i, 0);
        float mu = vk_sum(sums) / (float)c;
        // Padding lanes hold the mean: they add nothing to the variance.
        vk_v16f squares = 0;
        for (i = 0; i + VK_LANES <= c; i += VK_LANES) {
            vk_v16f d = vk_load(x + i) - mu;
            squares += d * d;
        }
        if (i < c) {
            vk_v16f d = vk_load_part(x + i, c - i, mu) - mu;
            squares += d * d;
        }
        float inv = 1.0f / sqrtf(vk_sum(squares) / (float)c + epsilon);
        for (i = 0; i + VK_LANES <= c; i += VK_LANES) vk_store(y + i, (vk_load(x + i) - mu) * inv * vk_load(weight + i) + vk_load(bias + i));
        if (i < c) {
            size_t n = c - i;
            vk_store_part(y + i, (vk_load_part(x + i, n, 0) - mu) * inv * vk_load_part(weight + i, n, 0) + vk_load_part(bias + i, n, 0), n);
        }
        mean[r] = mu;
        rstd[r] = inv;
    }
}

/// Adds the input gradient to `din` and writes `normalized · dout` (the weight gradient's
/// terms) into `weighted`.
VK_INLINE void vk_layer_norm_backward_body(float *din, float *weighted, const float *dout, const float *in, const float *weight,
                                           const float *mean, const float *rstd, size_t rows, size_t c) {
    for (size_t r = 0; r < rows; r++) {
        const float *x = in + r * c, *dy = dout + r * c;
        float *dx = din + r * c, *wn = weighted + r * c;
        float mu = mean[r], inv = rstd[r];
        // Padding lanes have weight and gradient 0: they add nothing to the sums.
        vk_v16f sumG = 0, sumGN = 0;
        size_t i = 0;
        for (; i + VK_LANES <= c; i += VK_LANES) {
            vk_v16f g = vk_load(weight + i) * vk_load(dy + i);
            sumG += g;
            sumGN += g * ((vk_load(x + i) - mu) * inv);
        }
        if (i < c) {
            size_t n = c - i;
            vk_v16f g = vk_load_part(weight + i, n, 0) * vk_load_part(dy + i, n, 0);
            sumG += g;
            sumGN += g * ((vk_load_part(x + i, n, 0) - mu) * inv);
        }
        float meanG = vk_sum(sumG) / (float)c, meanGN = vk_sum(sumGN) / (float)c;
        for (i = 0; i + VK_LANES <= c; i += VK_LANES) {
            vk_v16f d = vk_load(dy + i), xn = (vk_load(x + i) - mu) * inv;
            vk_store(dx + i, vk_load(dx + i) + (vk_load(weight + i) * d - meanG - xn * meanGN) * inv);
            vk_store(wn + i, xn * d);
        }
        if (i < c) {
            size_t n = c - i;
            vk_v16f d = vk_load_part(dy + i, n, 0), xn = (vk_load_part(x + i, n, 0) - mu) * inv;
            vk_store_part(dx + i, vk_load_part(dx + i, n, 0) + (vk_load_part(weight + i, n, 0) * d - meanG - xn * meanGN) * inv, n);
            vk_store_part(wn + i, xn * d, n);
        }
    }
}

/// Columns summed together in registers by `vk_add_column_sums`.
#define VK_COLUMN_BLOCK (8 * VK_LANES)

/// Adds to `sums[0..<c]` the sums of columns 0..<c of `x` (rows `ld` floats apart), each
/// column added up row by row. The rows are read in blocks of up to 128 columns, whose sums
/// stay in registers.
VK_INLINE void vk_add_column_sums_body(float *sums, const float *x, size_t rows, size_t c, size_t ld) {
    for (size_t first = 0; first < c; first += VK_COLUMN_BLOCK) {
        size_t width = c - first < VK_COLUMN_BLOCK ? c - first : VK_COLUMN_BLOCK;
        size_t full = width / VK_LANES, part = width % VK_LANES;
        vk_v16f total[VK_COLUMN_BLOCK / VK_LANES + 1] = {0};
        for (size_t r = 0; r < rows; r++) {
            const float *row = x + r * ld + first;
            for (size_t v = 0; v < full; v++) total[v] += vk_load(row + v * VK_LANES);
            if (part) total[full] += vk_load_part(row + full * VK_LANES, part, 0);
        }
        for (size_t v = 0; v < full; v++) vk_store(sums + first + v * VK_LANES, vk_load(sums + first + v * VK_LANES) + total[v]);
        if (part) vk_store_part(sums + first + full * VK_LANES, vk_load_part(sums + first + full * VK_LANES, part, 0) + total[full], part);
    }
}

/// PyTorch's AdamW step on `n` (at most 16) parameters, operation for operation: decay,
/// moments, then `p -= stepSize · m / (√v / correction2 + epsilon)`.
VK_INLINE void vk_adamw_lanes(float *p, float *m, float *v, const float *g, size_t n, float decay, float beta1, float beta2,
                              float epsilon, float stepSize, float correction2) {
    vk_v16f grad = vk_load_part(g, n, 0), param = vk_load_part(p, n, 0) * decay;
    vk_v16f mk = vk_load_part(m, n, 0), vk = vk_load_part(v, n, 0);
    mk += (grad - mk) * (1.0f - beta1);
    vk = vk * beta2 + (1.0f - beta2) * grad * grad;
    vk_v16f denominator = __builtin_elementwise_sqrt(vk) / correction2 + epsilon;
    vk_store_part(p, param - stepSize * mk / denominator, n);
    vk_store_part(m, mk, n);
    vk_store_part(v, vk, n);
}

VK_INLINE void vk_adamw_body(float *p, float *m, float *v, const float *g, size_t n, float decay, float beta1, float beta2,
                             float epsilon, float stepSize, float correction2) {
    size_t i = 0;
    for (; i + VK_LANES <= n; i += VK_LANES)
        vk_adamw_lanes(p + i, m + i, v + i, g + i, VK_LANES, decay, beta1, beta2, epsilon, stepSize, correction2);
    if (i < n) vk_adamw_lanes(p + i, m + i, v + i, g + i, n - i, decay, beta1, beta2, epsilon, stepSize, correction2);
}

/// Writes into `*sum` the sum of the squares of `x[0..<n]`, in double precision, eight lanes
/// added pairwise at the end.
VK_INLINE void vk_sum_squares_body(double *sum, const float *x, size_t n) {
    vk_v8d low = 0, high = 0;
    size_t i = 0;
    for (; i < n; i += VK_LANES) {
        vk_v16f v = n - i >= VK_LANES ? vk_load(x + i) : vk_load_part(x + i, n - i, 0);
        vk_v8d a = __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), vk_v8d);
        vk_v8d b = __builtin_convertvector(__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15), vk_v8d);
        low += a * a;
        high += b * b;
    }
    vk_v8d total = low + high;
    vk_v4d half = __builtin_shufflevector(total, total, 0, 1, 2, 3) + __builtin_shufflevector(total, total, 4, 5, 6, 7);
    *sum = (half[0] + half[2]) + (half[1] + half[3]);
}

// The three compilations of each body and the choice between them.
#define VK_KERNEL(name, parameters, arguments)                                                        \
    __attribute__((target("avx512f"))) static void name##_avx512 parameters { name##_body arguments; } \
    __attribute__((target("avx2"))) static void name##_avx2 parameters { name##_body arguments; }       \
    static void name##_baseline parameters { name##_body arguments; }                                  \
    static inline void name parameters {                                                               \
        if (__builtin_cpu_supports("avx512f")) name##_avx512 arguments;                                \
        else if (__builtin_cpu_supports("avx2")) name##_avx2 arguments;                                \
        else name##_baseline arguments;                                                                \
    }

/// `out[i] = gelu(in[i])` for `n` floats.
VK_KERNEL(vk_gelu_forward, (float *out, const float *in, size_t n), (out, in, n))
/// `din[i] = gelu'(in[i]) · dout[i]`; `din` may be `dout`.
VK_KERNEL(vk_gelu_backward, (float *din, const float *in, const float *dout, size_t n), (din, in, dout, n))
/// Replaces `x[0..<n]` by its softmax.
VK_KERNEL(vk_softmax, (float *x, size_t n), (x, n))
/// One row of the softmax's backward pass: `g ← p ⊙ (g - Σ p ⊙ g) · scale`.
VK_KERNEL(vk_softmax_backward, (float *g, const float *p, size_t n, float scale), (g, p, n, scale))
/// `x[i] *= scale`.
VK_KERNEL(vk_scale, (float *x, size_t n, float scale), (x, n, scale))
/// Each of `rows` rows of `out[rows, c]` set to `bias`, plus the row of `residual` unless NULL.
VK_KERNEL(vk_bias_rows, (float *out, const float *residual, const float *bias, size_t rows, size_t c), (out, residual, bias, rows, c))
/// LayerNorm of `rows` rows of width `c`, keeping each row's mean and 1/std.
VK_KERNEL(vk_layer_norm_forward,
          (float *out, float *mean, float *rstd, const float *in, const float *weight, const float *bias, size_t rows, size_t c, float epsilon),
          (out, mean, rstd, in, weight, bias, rows, c, epsilon))
/// LayerNorm's backward pass over `rows` rows (see `vk_layer_norm_backward_body`).
VK_KERNEL(vk_layer_norm_backward,
          (float *din, float *weighted, const float *dout, const float *in, const float *weight, const float *mean, const float *rstd,
           size_t rows, size_t c),
          (din, weighted, dout, in, weight, mean, rstd, rows, c))
/// Adds the column sums of `x[rows, c]` (row stride `ld`) to `sums`.
VK_KERNEL(vk_add_column_sums, (float *sums, const float *x, size_t rows, size_t c, size_t ld), (sums, x, rows, c, ld))
/// One AdamW step on `n` parameters.
VK_KERNEL(vk_adamw,
          (float *p, float *m, float *v, const float *g, size_t n, float decay, float beta1, float beta2, float epsilon, float stepSize,
           float correction2),
          (p, m, v, g, n, decay, beta1, beta2, epsilon, stepSize, correction2))

/// The sum of the squares of `x[0..<n]` (in double) into `*sum`.
VK_KERNEL(vk_sum_squares, (double *sum, const float *x, size_t n), (sum, x, n))

#undef VK_KERNEL

#endif
