/* A direct OpenBLAS call, the way a user's program makes it: C = A*B, row-major, n x n, random
 * inputs, one untimed call, then `reps` timed calls. Prints the kernel OpenBLAS chose and one line
 * per call: "rep <i> <GFLOP/s>". A peer for bench/compute_vs_peers.py, not part of specgap. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: blas_gemm s|d N REPS\n");
    return 2;
  }
  const int dbl = strcmp(argv[1], "d") == 0;
  const int n = atoi(argv[2]), reps = atoi(argv[3]);
  const size_t elems = (size_t)n * n, size = dbl ? sizeof(double) : sizeof(float);
  void *a = malloc(elems * size), *b = malloc(elems * size), *c = malloc(elems * size);
  srand(1);
  for (size_t i = 0; i < elems; ++i) {
    const double x = rand() / (double)RAND_MAX * 2 - 1, y = rand() / (double)RAND_MAX * 2 - 1;
    if (dbl) ((double*)a)[i] = x, ((double*)b)[i] = y;
    else ((float*)a)[i] = (float)x, ((float*)b)[i] = (float)y;
  }
  printf("kernel %s\n", openblas_get_corename());
  for (int r = -1; r < reps; ++r) {
    const double t0 = now();
    if (dbl)
      cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
    else
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
    const double t = now() - t0;
    if (r >= 0) printf("rep %d %.3f\n", r, 2.0 * n * n * (double)n / t / 1e9);
  }
  return 0;
}
