#pragma once
// What this Arm CPU and kernel let a process run, from the auxiliary vector (AT_HWCAP, AT_HWCAP2: the
// kernel sets a bit only where both the core and the kernel support the feature), and the SVE vector
// length this process runs at (read with prctl, never assumed: it is 128 to 2048 bits and a process
// may be given less than the core's maximum).
namespace specgap::cpu {

struct ArmFeatures {
  bool asimd = false;    // NEON (baseline on every AArch64 Linux core)
  bool fphp = false;     // fp16 arithmetic (FEAT_FP16): fphp and asimdhp
  bool dotprod = false;  // SDOT/UDOT (FEAT_DotProd): asimddp
  bool i8mm = false;     // SMMLA/USMMLA/USDOT (FEAT_I8MM)
  bool bf16 = false;     // BFDOT/BFMMLA (FEAT_BF16)
  bool sve = false;
  bool sve2 = false;
  bool sve_i8mm = false;  // SVE's SMMLA (svei8mm)
  bool sve_bf16 = false;  // SVE's BFDOT/BFMMLA (svebf16)
  int sve_vector_bits = 0;  // 0 without SVE
};

// Read once per process.
const ArmFeatures& arm_features();

}  // namespace specgap::cpu
