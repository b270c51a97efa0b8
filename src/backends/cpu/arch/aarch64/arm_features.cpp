#include "backends/cpu/arch/aarch64/arm_features.h"

#include <asm/hwcap.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

namespace specgap::cpu {

const ArmFeatures& arm_features() {
  static const ArmFeatures features = [] {
    const unsigned long hw = getauxval(AT_HWCAP);
    const unsigned long hw2 = getauxval(AT_HWCAP2);
    ArmFeatures f;
    f.asimd = hw & HWCAP_ASIMD;
    f.fphp = (hw & HWCAP_FPHP) && (hw & HWCAP_ASIMDHP);
    f.dotprod = hw & HWCAP_ASIMDDP;
    f.i8mm = hw2 & HWCAP2_I8MM;
    f.bf16 = hw2 & HWCAP2_BF16;
    f.sve = hw & HWCAP_SVE;
    f.sve2 = f.sve && (hw2 & HWCAP2_SVE2);
    f.sve_i8mm = f.sve && (hw2 & HWCAP2_SVEI8MM);
    f.sve_bf16 = f.sve && (hw2 & HWCAP2_SVEBF16);
    if (f.sve) {
      const int vl = prctl(PR_SVE_GET_VL);  // bytes in the low 16 bits, flags above
      f.sve_vector_bits = vl > 0 ? (vl & PR_SVE_VL_LEN_MASK) * 8 : 0;
      if (f.sve_vector_bits == 0) f.sve = f.sve2 = f.sve_i8mm = f.sve_bf16 = false;
    }
    return f;
  }();
  return features;
}

}  // namespace specgap::cpu
