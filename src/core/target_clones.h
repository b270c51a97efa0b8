#pragma once
// Plain loops compiled three times, for AVX-512 (x86-64-v4), for AVX2 + FMA (x86-64-v3) and for the
// baseline, and chosen at load time by the CPU (GCC's target_clones): one binary runs everywhere and
// vectorises where it can. The v3 clone matters beyond vector width: the baseline has no SSE4.1, so
// floor and nearbyint there are library calls per element. Elsewhere the loops compile once.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SPECGAP_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SPECGAP_CLONES
#endif
