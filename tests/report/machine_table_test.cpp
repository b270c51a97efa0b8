// The Machine table's Arm rows: core kinds of a hybrid chip, the SVE length, the theoretical peak per
// dtype, and the emulator row; and that a machine record without them draws none of them.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "report/render.h"

namespace specgap::report {
namespace {

std::optional<std::string> row(const Table& t, const std::string& what) {
  for (const auto& r : t.rows)
    if (r.at(0) == what) return r.at(1);
  return std::nullopt;
}

nlohmann::json gb10() {
  return {{"cpu",
           {{"model_name", "Arm Cortex-A725"},
            {"emulator", "none"},
            {"sve_vector_bits", 128},
            {"sve_vector_source", "prctl(PR_SVE_GET_VL): this process's length"},
            {"core_kinds",
             {{{"uarch", "x925"}, {"uarch_name", "Arm Cortex-X925"}, {"cores", 10}, {"cpus", {5, 6, 7, 8, 9, 15, 16, 17, 18, 19}}},
              {{"uarch", "a725"}, {"uarch_name", "Arm Cortex-A725"}, {"cores", 10}, {"cpus", {0, 1, 2, 3, 4, 10, 11, 12, 13, 14}}}}},
            {"theoretical_peak",
             {{{"dtype", "fp64"},
               {"formula", "10 x Arm Cortex-X925 x 24 FLOP/cycle (FMLA) + 10 x Arm Cortex-A725 x 8 FLOP/cycle (FMLA) = 320 FLOP/cycle"},
               {"missing", "clock unknown: no cpufreq maximum"},
               {"kinds", {{{"uarch", "x925"}, {"confidence", "unconfirmed"}}, {{"uarch", "a725"}, {"confidence", "derived"}}}}}}}}}};
}

TEST(MachineTable, HybridArmRows) {
  const Table t = machine_table(gb10());
  EXPECT_EQ(row(t, "core kinds (pinned in this order)"),
            "10 x Arm Cortex-X925 (CPUs 5-9,15-19), 10 x Arm Cortex-A725 (CPUs 0-4,10-14)");
  EXPECT_EQ(row(t, "sve vector length"), "128 bit (prctl(PR_SVE_GET_VL): this process's length)");
  EXPECT_EQ(row(t, "theoretical peak fp64"),
            "10 x Arm Cortex-X925 x 24 FLOP/cycle (FMLA) + 10 x Arm Cortex-A725 x 8 FLOP/cycle (FMLA) = 320 FLOP/cycle; "
            "clock unknown: no cpufreq maximum [x925 unconfirmed, a725 derived]");
  EXPECT_FALSE(row(t, "emulator"));
}

TEST(MachineTable, EmulatorRowSaysWhatTheFiguresMeasure) {
  nlohmann::json m = {{"cpu", {{"model_name", "Arm Neoverse N1 (emulated, MIDR 0x414fd0c1)"},
                               {"arch", "aarch64"},
                               {"vendor", "ARM"},
                               {"family", nullptr},
                               {"model", 0xd0c},
                               {"stepping", 1},
                               {"emulator", "QEMU user-mode emulation (qemu-aarch64)"}}}};
  const Table t = machine_table(m);
  EXPECT_EQ(row(t, "vendor / family / model / stepping"), "ARM / unknown / 0xd0c / 1");
  EXPECT_EQ(row(t, "emulator"),
            "QEMU user-mode emulation (qemu-aarch64): figures measure the emulator, not a CPU");
  EXPECT_EQ(row(t, "cpu"), "Arm Neoverse N1 (emulated, MIDR 0x414fd0c1)");
}

TEST(MachineTable, RecordsWithoutArmFieldsDrawNoArmRows) {
  // An x86 record (one kind, no SVE, no probe peak) and an older record without the fields.
  const nlohmann::json x86 = {{"cpu", {{"emulator", "none"},
                                       {"core_kinds", {{{"uarch", "zen5-512"}, {"cores", 2}, {"cpus", {0, 1}}}}},
                                       {"sve_vector_bits", nullptr},
                                       {"sve_vector_source", ""},
                                       {"theoretical_peak", nlohmann::json::array()}}}};
  for (const auto& m : {x86, nlohmann::json{{"cpu", nlohmann::json::object()}}}) {
    const Table t = machine_table(m);
    for (const auto& r : t.rows) {
      EXPECT_NE(r.at(0), "emulator");
      EXPECT_NE(r.at(0), "sve vector length");
      EXPECT_EQ(r.at(0).find("core kinds"), std::string::npos);
      EXPECT_EQ(r.at(0).find("theoretical peak"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace specgap::report
