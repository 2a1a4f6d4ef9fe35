#include <zlib.h>
/* inflateInit2 and deflateInit2 are function-like macros, which Swift cannot import. */
static inline int czlib_inflateInit2(z_streamp s, int windowBits) { return inflateInit2(s, windowBits); }
static inline int czlib_deflateInit2(z_streamp s, int level, int windowBits) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
