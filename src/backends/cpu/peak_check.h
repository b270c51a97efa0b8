#pragma once
// The closed form every peak kernel's output must match. Operands are chosen so that each
// instruction adds the same exactly representable step to every lane (a*b for an FMA, the sum of the
// lane's products for a dot product), so after n iterations every lane holds exactly acc0 + n*step:
// a kernel that skipped, merged or mis-issued instructions cannot match it. Operands repeat one
// pattern across the vector, so a matrix product (SMMLA, BFMMLA, AMX) adds groups_per_lane such steps
// to every lane, and the check reads as many lanes as the entry's vector_bits hold (for SVE, the
// length this process runs at).
#include <cstdint>
#include <string>

#include "backends/cpu/peak_kernels.h"

namespace specgap::cpu {

PeakOperands peak_operands(Dtype d);

// The most iterations per call for which acc0 + n*step is still exact in the accumulator's type, for
// an instruction that sums `groups_per_lane` operand groups into each lane (PeakKernelEntry).
uint64_t peak_max_exact_iterations(Dtype d, int groups_per_lane = 1);
uint64_t peak_max_exact_iterations(const PeakKernelEntry& k);

// What every lane must hold after `iterations` (as a double; integers are exact in it).
double peak_expected_lane(Dtype d, uint64_t iterations, int groups_per_lane = 1);

// "" when every lane of every accumulator in `out` holds the closed form; otherwise one line naming
// the first lane that does not.
std::string check_peak_output(const PeakKernelEntry& k, uint64_t iterations, const void* out);

}  // namespace specgap::cpu
