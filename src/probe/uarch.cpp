// lookup_uarch: one table from (vendor, family, model range) to a microarchitecture row of
// shared/reference/cpu-uarch.md section 6. Source tags (LNX-AMD, ...) are that file's section 1.
#include <string_view>

#include "probe/machine.h"

namespace specgap {
namespace {

struct UarchRow {
  std::string_view vendor;  // CpuIdentity::vendor: AuthenticAMD, GenuineIntel, ARM, Apple
  int family;               // x86 display family; -1 on Arm
  int model_first, model_last;  // x86 display model, or Arm MIDR part, inclusive range
  const char* id;
  const char* name;
  int sve_bits = 0;  // the core's SVE vector length (cpu-uarch.md 2.2, 3.12-3.15); 0: none
};

constexpr std::string_view kAmd = "AuthenticAMD", kIntel = "GenuineIntel", kArm = "ARM", kApple = "Apple";

// The first matching row wins, so a single model listed before its enclosing range overrides it.
constexpr UarchRow kUarchRows[] = {
    // AMD: Zen generation ranges from Linux amd.c bsp_init_amd() (LNX-AMD).
    {kAmd, 0x17, 0x30, 0x4f, "zen2", "AMD Zen 2"},  // LNX-AMD; Rome 0x31
    {kAmd, 0x17, 0x60, 0x7f, "zen2", "AMD Zen 2"},  // LNX-AMD; Renoir, Matisse
    {kAmd, 0x17, 0x90, 0x91, "zen2", "AMD Zen 2"},  // LNX-AMD
    {kAmd, 0x17, 0xa0, 0xaf, "zen2", "AMD Zen 2"},  // LNX-AMD
    {kAmd, 0x19, 0x00, 0x0f, "zen3", "AMD Zen 3"},  // LNX-AMD; Milan 0x01
    {kAmd, 0x19, 0x20, 0x5f, "zen3", "AMD Zen 3"},  // LNX-AMD; Vermeer, Cezanne
    {kAmd, 0x19, 0x10, 0x1f, "zen4", "AMD Zen 4"},  // LNX-AMD; Genoa 0x11
    {kAmd, 0x19, 0x60, 0xaf, "zen4", "AMD Zen 4"},  // LNX-AMD; Raphael, Phoenix, Bergamo
    // Zen 5: the kernel range (LNX-AMD) does not give the FPU width (cpu-uarch.md 3.4), so the
    // products are split out. Server and desktop dies are 512-bit (HOTCHIPS-Z5, NW-ZEN5), and so is
    // Strix Halo (CNC-STXH); Strix Point is cut down to 256 (CNC-STXP / DH) and Krackan is taken to
    // share its design (section 6 marks that unconfirmed).
    {kAmd, 0x1a, 0x00, 0x1f, "zen5-512", "AMD Zen 5 Turin (512-bit datapath)"},
    {kAmd, 0x1a, 0x24, 0x24, "zen5-256", "AMD Zen 5 Strix Point (256-bit datapath)"},
    {kAmd, 0x1a, 0x20, 0x2f, "zen5", "AMD Zen 5 (datapath width unconfirmed)"},
    {kAmd, 0x1a, 0x40, 0x4f, "zen5-512", "AMD Zen 5 Granite Ridge (512-bit datapath)"},
    {kAmd, 0x1a, 0x60, 0x6f, "zen5-256", "AMD Zen 5 Krackan (256-bit datapath)"},
    {kAmd, 0x1a, 0x70, 0x7f, "zen5-512", "AMD Zen 5 Strix Halo (512-bit datapath)"},
    // Intel family 6: model numbers from intel-family.h (LNX-INTEL). Hybrid parts report the same
    // model on P- and E-cores; the row names the P-core, whose vector units set the peak.
    {kIntel, 6, 0x55, 0x55, "skx", "Intel Skylake-SP / Cascade Lake / Cooper Lake"},  // LNX-INTEL
    {kIntel, 6, 0x6a, 0x6a, "icx", "Intel Ice Lake-SP"},                            // LNX-INTEL
    {kIntel, 6, 0x6c, 0x6c, "icx", "Intel Ice Lake-D"},                             // LNX-INTEL
    {kIntel, 6, 0x8f, 0x8f, "spr", "Intel Sapphire Rapids"},                        // LNX-INTEL
    {kIntel, 6, 0xcf, 0xcf, "spr", "Intel Emerald Rapids"},  // LNX-INTEL; same core as SPR
    {kIntel, 6, 0xad, 0xae, "gnr", "Intel Granite Rapids"},                         // LNX-INTEL
    {kIntel, 6, 0x97, 0x97, "glc-client", "Intel Alder Lake (Golden Cove P-core)"},  // LNX-INTEL
    {kIntel, 6, 0x9a, 0x9a, "glc-client", "Intel Alder Lake (Golden Cove P-core)"},  // LNX-INTEL
    {kIntel, 6, 0xb7, 0xb7, "glc-client", "Intel Raptor Lake (Raptor Cove P-core)"},  // LNX-INTEL
    {kIntel, 6, 0xba, 0xba, "glc-client", "Intel Raptor Lake (Raptor Cove P-core)"},  // LNX-INTEL
    {kIntel, 6, 0xbf, 0xbf, "glc-client", "Intel Raptor Lake (Raptor Cove P-core)"},  // LNX-INTEL
    {kIntel, 6, 0xbe, 0xbe, "gracemont", "Intel Alder Lake-N (Gracemont)"},          // LNX-INTEL
    {kIntel, 6, 0xbd, 0xbd, "lioncove", "Intel Lunar Lake (Lion Cove P-core)"},      // LNX-INTEL
    {kIntel, 6, 0xc5, 0xc6, "lioncove", "Intel Arrow Lake (Lion Cove P-core)"},      // LNX-INTEL
    {kIntel, 6, 0xb5, 0xb5, "lioncove", "Intel Arrow Lake-U (Lion Cove P-core)"},    // LNX-INTEL
    // Arm Ltd cores: MIDR part numbers from cputype.h (LNX-ARM).
    {kArm, -1, 0xd0c, 0xd0c, "n1", "Arm Neoverse N1"},     // LNX-ARM, G2-CPUINFO
    {kArm, -1, 0xd40, 0xd40, "v1", "Arm Neoverse V1", 256},     // LNX-ARM; SVE 2 x 256 (LLVM-V1)
    {kArm, -1, 0xd4f, 0xd4f, "v2", "Arm Neoverse V2", 128},     // LNX-ARM; SVE2 VL 128 (LLVM-V2)
    {kArm, -1, 0xd85, 0xd85, "x925", "Arm Cortex-X925", 128},   // LNX-ARM, BLIS-GB10 (VL 128)
    {kArm, -1, 0xd87, 0xd87, "a725", "Arm Cortex-A725", 128},   // LNX-ARM, GB10-CPUINFO, BLIS-GB10
    // Apple (Asahi Linux): P-cores are section 6's apple-p. The E-cores have no row there; they get
    // their own id so that an E-core listed first (as Asahi lists them) is not mistaken for a P-core.
    {kApple, -1, 0x022, 0x022, "apple-e", "Apple M1 Icestorm (E-core)"},       // LNX-ARM
    {kApple, -1, 0x023, 0x023, "apple-p", "Apple M1 Firestorm (P-core)"},      // LNX-ARM
    {kApple, -1, 0x024, 0x024, "apple-e", "Apple M1 Pro Icestorm (E-core)"},   // LNX-ARM
    {kApple, -1, 0x025, 0x025, "apple-p", "Apple M1 Pro Firestorm (P-core)"},  // LNX-ARM
    {kApple, -1, 0x028, 0x028, "apple-e", "Apple M1 Max Icestorm (E-core)"},   // LNX-ARM
    {kApple, -1, 0x029, 0x029, "apple-p", "Apple M1 Max Firestorm (P-core)"},  // LNX-ARM
    {kApple, -1, 0x032, 0x032, "apple-e", "Apple M2 Blizzard (E-core)"},       // LNX-ARM
    {kApple, -1, 0x033, 0x033, "apple-p", "Apple M2 Avalanche (P-core)"},      // LNX-ARM
    {kApple, -1, 0x034, 0x034, "apple-e", "Apple M2 Pro Blizzard (E-core)"},   // LNX-ARM
    {kApple, -1, 0x035, 0x035, "apple-p", "Apple M2 Pro Avalanche (P-core)"},  // LNX-ARM
    {kApple, -1, 0x038, 0x038, "apple-e", "Apple M2 Max Blizzard (E-core)"},   // LNX-ARM
    {kApple, -1, 0x039, 0x039, "apple-p", "Apple M2 Max Avalanche (P-core)"},  // LNX-ARM
};

}  // namespace

Uarch lookup_uarch(const CpuIdentity& id) {
  for (const UarchRow& row : kUarchRows) {
    if (row.vendor == id.vendor && row.family == id.family && id.model >= row.model_first &&
        id.model <= row.model_last)
      return {row.id, row.name, row.sve_bits};
  }
  return {"unknown", "unknown"};
}

}  // namespace specgap
