// The machine record drawn for people: the facts a reader checks before trusting a figure.
#include <fmt/format.h>

#include "core/units.h"
#include "report/render.h"

namespace specgap::report {
namespace {
std::string text_of(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "unknown";
  if (j[key].is_string()) return j[key].get<std::string>();
  return j[key].dump();
}

std::string join(const nlohmann::json& list) {
  std::string s;
  for (auto& x : list) s += (s.empty() ? "" : " ") + (x.is_string() ? x.get<std::string>() : x.dump());
  return s.empty() ? "none" : s;
}

// Ascending CPU numbers as ranges: [0,1,2,3,8] -> "0-3,8".
std::string cpu_ranges(const nlohmann::json& cpus) {
  std::string s;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1].get<int>() == cpus[j].get<int>() + 1) ++j;
    s += (s.empty() ? "" : ",") + (i == j ? fmt::format("{}", cpus[i].get<int>())
                                           : fmt::format("{}-{}", cpus[i].get<int>(), cpus[j].get<int>()));
    i = j + 1;
  }
  return s;
}

// Only a hybrid chip gets the row: one kind is the microarchitecture row already.
void add_core_kinds(Table& t, const nlohmann::json& cpu) {
  const auto kinds = cpu.value("core_kinds", nlohmann::json::array());
  if (kinds.size() < 2) return;
  std::string s;
  for (auto& k : kinds)
    s += (s.empty() ? "" : ", ") + fmt::format("{} x {} (CPUs {})", text_of(k, "cores"), text_of(k, "uarch_name"),
                                              cpu_ranges(k.value("cpus", nlohmann::json::array())));
  t.rows.push_back({"core kinds (pinned in this order)", s});
}

void add_sve_length(Table& t, const nlohmann::json& cpu) {
  const std::string source = cpu.value("sve_vector_source", std::string());
  if (source.empty()) return;
  const std::string bits = cpu.contains("sve_vector_bits") && cpu["sve_vector_bits"].is_number()
                               ? fmt::format("{} bit", cpu["sve_vector_bits"].get<int>())
                               : "unknown";
  t.rows.push_back({"sve vector length", bits + " (" + source + ")"});
}

// The formula, why it has no figure when it has none, and how far each kind's rate can be trusted.
void add_theoretical_peaks(Table& t, const nlohmann::json& cpu) {
  for (auto& p : cpu.value("theoretical_peak", nlohmann::json::array())) {
    std::string confidence;
    for (auto& k : p.value("kinds", nlohmann::json::array()))
      confidence += (confidence.empty() ? "" : ", ") + k.value("uarch", std::string()) + " " +
                    k.value("confidence", std::string("no rate"));
    std::string text = p.value("formula", std::string());
    if (const std::string missing = p.value("missing", std::string()); !missing.empty())
      text += (text.empty() ? "" : "; ") + missing;
    t.rows.push_back({"theoretical peak " + p.value("dtype", std::string()), text + " [" + confidence + "]"});
  }
}
}  // namespace

Table machine_table(const nlohmann::json& m) {
  Table t{"Machine", {"what", "value"}, {}, {}};
  const auto cpu = m.value("cpu", nlohmann::json::object());
  t.rows.push_back({"cpu", text_of(cpu, "model_name")});
  // Arm's model is the MIDR part, which Linux, Arm's manuals and the reference all write in hex.
  const bool arm = cpu.value("arch", std::string()) == "aarch64" && cpu.contains("model") &&
                   cpu["model"].is_number_integer();
  const std::string model = arm ? fmt::format("{:#05x}", cpu["model"].get<int>()) : text_of(cpu, "model");
  t.rows.push_back({"vendor / family / model / stepping",
                    fmt::format("{} / {} / {} / {}", text_of(cpu, "vendor"), text_of(cpu, "family"), model,
                                text_of(cpu, "stepping"))});
  t.rows.push_back({"microarchitecture", text_of(cpu, "uarch_name")});
  t.rows.push_back({"sockets / cores / threads",
                    fmt::format("{} / {} / {} (SMT {})", text_of(cpu, "sockets"), text_of(cpu, "cores"),
                                text_of(cpu, "threads"), cpu.value("smt", false) ? "on" : "off")});
  add_core_kinds(t, cpu);
  t.rows.push_back({"isa", join(cpu.value("isa", nlohmann::json::array()))});
  add_sve_length(t, cpu);
  for (auto& c : cpu.value("caches", nlohmann::json::array())) {
    t.rows.push_back({fmt::format("L{} {}", c.value("level", 0), c.value("type", "")),
                      fmt::format("{} x {}", format_bytes(c.value("size_bytes", uint64_t{0})),
                                  c.value("instances", 0))});
  }
  std::string freq = "unknown";
  if (cpu.contains("freq_max_mhz") && cpu["freq_max_mhz"].is_number())
    freq = fmt::format("{:.0f} MHz max", cpu["freq_max_mhz"].get<double>());
  else if (cpu.contains("freq_nominal_mhz") && cpu["freq_nominal_mhz"].is_number())
    freq = fmt::format("{:.0f} MHz", cpu["freq_nominal_mhz"].get<double>());
  t.rows.push_back({"frequency", freq + " (" + text_of(cpu, "freq_source") + ")"});
  add_theoretical_peaks(t, cpu);
  t.rows.push_back({"hypervisor", text_of(cpu, "hypervisor")});
  if (const std::string emulator = cpu.value("emulator", std::string("none")); emulator != "none")
    t.rows.push_back({"emulator", emulator + ": figures measure the emulator, not a CPU"});
  const auto mem = m.value("memory", nlohmann::json::object());
  t.rows.push_back({"memory", fmt::format("{} total, {} NUMA node(s)",
                                          format_bytes(mem.value("total_bytes", uint64_t{0})),
                                          text_of(mem, "numa_nodes"))});
  const auto os = m.value("os", nlohmann::json::object());
  t.rows.push_back({"kernel", text_of(os, "kernel")});
  const auto gpus = m.value("gpus", nlohmann::json::array());
  for (auto& g : gpus)
    t.rows.push_back({fmt::format("gpu {}", g.value("index", 0)),
                      fmt::format("{}, {}, driver {}", g.value("name", ""),
                                  format_bytes(g.value("memory_bytes", uint64_t{0})), g.value("driver", ""))});
  if (gpus.empty()) t.rows.push_back({"gpus", "none (" + m.value("gpu_note", std::string("no note")) + ")"});
  // Vulkan's view: discovery only, no suite measures these yet; a software device is no hardware.
  const auto vulkan = m.value("vulkan", nlohmann::json::array());
  for (auto& d : vulkan) {
    const auto bytes = d.find("device_local_bytes");
    const std::string local = bytes != d.end() && bytes->is_number_integer() && bytes->get<int64_t>() > 0
                                  ? format_bytes(bytes->get<uint64_t>()) + " device-local"
                                  : "device-local memory unknown";
    // The Vulkan backend names its devices gpu0, gpu1, ... in the loader's order, as listed here.
    const std::string id = fmt::format("gpu{}", d.value("index", 0));
    const std::string how = d.value("kind", "") == "software"
                                ? "software: measured only when named (--device " + id + "), never ranked"
                                : "--device " + id;
    t.rows.push_back({fmt::format("vulkan {}", d.value("index", 0)),
                      fmt::format("{} ({}, {}), Vulkan {}, {}, {}, {}", d.value("name", ""), d.value("kind", ""),
                                  d.value("vendor", ""), d.value("api_version", ""), d.value("driver", ""), local, how)});
  }
  if (vulkan.empty() && m.contains("vulkan"))
    t.rows.push_back({"vulkan", "none (" + m.value("vulkan_note", std::string("no note")) + ")"});
  return t;
}

}  // namespace specgap::report
