// C = A * B, row-major, any m, n, k: a 64x64 tile of C per workgroup of 16x16 invocations, each
// accumulating a 4x4 block in fp32 registers over 16-deep slices of A and B staged in shared memory.
// Loads outside A or B read as 0 and stores outside C are skipped, so edges need no padding.
// The including file defines IN, the operands' storage type (float, float16_t).
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer A { IN a[]; };
layout(std430, binding = 1) readonly buffer B { IN b[]; };
layout(std430, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform Push {
  uint m, n, k;
} pc;

const uint BM = 64, BN = 64, BK = 16, TM = 4, TN = 4;
shared float As[BK][BM + 1];  // A's slice transposed; +1 spreads a column over the banks
shared float Bs[BK][BN];

void main() {
  const uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
  const uint tid = ty * 16 + tx;
  const uint row0 = gl_WorkGroupID.y * BM, col0 = gl_WorkGroupID.x * BN;
  float acc[TM][TN];
  for (uint i = 0; i < TM; ++i)
    for (uint j = 0; j < TN; ++j) acc[i][j] = 0.0;

  for (uint k0 = 0; k0 < pc.k; k0 += BK) {
    // 1024 elements of each slice, 4 per invocation.
    for (uint l = 0; l < 4; ++l) {
      const uint e = tid + l * 256;
      const uint ar = e / BK, ak = e % BK;
      const uint gr = row0 + ar, gk = k0 + ak;
      As[ak][ar] = (gr < pc.m && gk < pc.k) ? float(a[gr * pc.k + gk]) : 0.0;
      const uint bk = e / BN, bc = e % BN;
      const uint gbk = k0 + bk, gc = col0 + bc;
      Bs[bk][bc] = (gbk < pc.k && gc < pc.n) ? float(b[gbk * pc.n + gc]) : 0.0;
    }
    barrier();
    for (uint kk = 0; kk < BK; ++kk) {
      float av[TM], bv[TN];
      for (uint i = 0; i < TM; ++i) av[i] = As[kk][ty * TM + i];
      // Columns tx, tx + 16, ...: neighbouring invocations read neighbouring words.
      for (uint j = 0; j < TN; ++j) bv[j] = Bs[kk][tx + j * 16];
      for (uint i = 0; i < TM; ++i)
        for (uint j = 0; j < TN; ++j) acc[i][j] = fma(av[i], bv[j], acc[i][j]);
    }
    barrier();
  }
  for (uint i = 0; i < TM; ++i)
    for (uint j = 0; j < TN; ++j) {
      const uint r = row0 + ty * TM + i, col = col0 + tx + j * 16;
      if (r < pc.m && col < pc.n) c[r * pc.n + col] = acc[i][j];
    }
}
