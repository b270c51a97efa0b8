/* The "plain OpenMP loops" peer of bench/memory_vs_peers.py: what a user gets from the obvious
 * loops compiled with gcc -O3 -march=native -fopenmp. Same arrays, same byte counting (STREAM's),
 * first-touch by the threads that use them. Prints one line per kernel and repetition:
 *   <kernel> <rep> <GB/s>
 * Usage: omp_loops <bytes-per-array> <reps> [kernels...]   (kernels: copy triad read write) */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double now(void) { return omp_get_wtime(); }

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s BYTES_PER_ARRAY REPS [copy|triad|read|write ...]\n", argv[0]);
    return 2;
  }
  const size_t n = strtoull(argv[1], NULL, 10) / sizeof(double);
  const int reps = atoi(argv[2]);
  double *a = aligned_alloc(2 << 20, n * sizeof(double) + (2 << 20));
  double *b = aligned_alloc(2 << 20, n * sizeof(double) + (2 << 20));
  double *c = aligned_alloc(2 << 20, n * sizeof(double) + (2 << 20));
  if (!a || !b || !c) return 1;
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < n; ++i) {
    a[i] = 1.0 + (double)(i % 1021) / 1024;
    b[i] = 2.0 + (double)(i % 1019) / 1024;
    c[i] = 0.5 + (double)(i % 1009) / 1024;
  }
  const double s = 3.0;
  double sink = 0;
  for (int k = 3; k < argc || (argc == 3 && k == 3); ++k) {
    const char* kernel = argc == 3 ? "triad" : argv[k];
    for (int rep = -1; rep < reps; ++rep) { /* rep -1 is the warm-up, not printed */
      double bytes = 0, t = now();
      if (!strcmp(kernel, "copy")) {
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; ++i) c[i] = a[i];
        bytes = 16.0 * n;
      } else if (!strcmp(kernel, "triad")) {
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
        bytes = 24.0 * n;
      } else if (!strcmp(kernel, "read")) {
        double sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
        for (size_t i = 0; i < n; ++i) sum += a[i];
        sink += sum;
        bytes = 8.0 * n;
      } else if (!strcmp(kernel, "write")) {
#pragma omp parallel for schedule(static)
        for (size_t i = 0; i < n; ++i) a[i] = s;
        bytes = 8.0 * n;
      } else {
        fprintf(stderr, "unknown kernel %s\n", kernel);
        return 2;
      }
      t = now() - t;
      if (rep >= 0) printf("%s %d %.3f\n", kernel, rep, bytes / t / 1e9);
    }
  }
  fprintf(stderr, "checksum %g\n", sink + a[n / 2] + c[n / 3]);
  return 0;
}
