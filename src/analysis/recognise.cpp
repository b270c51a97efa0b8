#include "analysis/recognise.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "core/text.h"

namespace specgap::analysis {
namespace {

// A name as words: lower case, without trademark marks (Intel writes "Xeon(R)", tools differ on
// whether they keep them) and without a leading vendor name (nvidia-smi says "NVIDIA GeForce RTX
// 4090", other tools "GeForce RTX 4090").
std::vector<std::string> model_words(const std::string& name) {
  std::string text = lowercase(name);
  for (const char* mark : {"(r)", "(tm)", "\u00ae", "\u2122"})
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark, at))
      text.replace(at, std::string(mark).size(), " ");
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (!words.empty() && (words[0] == "nvidia" || words[0] == "amd" || words[0] == "intel" || words[0] == "apple"))
    words.erase(words.begin());
  return words;
}

const catalog::System* by_name(const std::string& name, const std::vector<catalog::System>& catalog,
                               std::vector<std::string> catalog::System::*names) {
  if (name.empty()) return nullptr;
  for (const auto& s : catalog)
    for (const auto& n : s.*names)
      if (same_model(n, name)) return &s;
  return nullptr;
}

}  // namespace

bool same_model(const std::string& a, const std::string& b) {
  const auto wa = model_words(a);
  return !wa.empty() && wa == model_words(b);
}

std::vector<DeviceRecognition> recognise_devices(const nlohmann::json& machine,
                                                 const std::vector<catalog::System>& catalog) {
  std::vector<DeviceRecognition> out;
  const auto cpu = machine.value("cpu", nlohmann::json::object());
  DeviceRecognition c{"cpu", cpu.is_object() ? cpu.value("model_name", "") : "", nullptr, "", true};
  c.system = by_name(c.name, catalog, &catalog::System::match_cpu);
  if (c.system) c.how = "by its model name";
  out.push_back(c);
  // Results name GPUs as the device seam does: gpuN is the Nth device the Vulkan loader lists. A
  // record whose Vulkan list has no hardware (no loader, only lavapipe, or an older run) names them in
  // NVML's order, as nothing measured them. A software device is never a catalog system: its figures
  // are Mesa's code on the CPU.
  const auto vulkan = machine.value("vulkan", nlohmann::json::array());
  const bool by_vulkan = vulkan.is_array() && std::any_of(vulkan.begin(), vulkan.end(), [](const nlohmann::json& d) {
                           return d.is_object() && d.value("kind", "") != "software";
                         });
  const auto gpus = by_vulkan ? vulkan : machine.value("gpus", nlohmann::json::array());
  for (size_t i = 0; gpus.is_array() && i < gpus.size(); ++i) {
    if (!gpus[i].is_object() || (by_vulkan && gpus[i].value("kind", "") == "software")) continue;
    DeviceRecognition g{fmt::format("gpu{}", gpus[i].value("index", int(i))), gpus[i].value("name", ""), nullptr, "",
                        by_vulkan};
    g.system = by_name(g.name, catalog, &catalog::System::match_gpu);
    if (g.system) g.how = "by its name";
    out.push_back(g);
  }
  auto& cpu_rec = out.front();
  for (size_t i = 1; i < out.size() && !cpu_rec.system; ++i)
    if (out[i].system && (out[i].system->kind == "apu" || out[i].system->kind == "soc")) {
      cpu_rec.system = out[i].system;
      cpu_rec.how = fmt::format("one chip with {} ({})", out[i].device, out[i].name);
    }
  return out;
}

nlohmann::json to_json(const std::vector<DeviceRecognition>& devices) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : devices)
    out.push_back({{"device", d.device},
                   {"name", d.name},
                   {"system", d.system ? nlohmann::json{{"id", d.system->id}, {"name", d.system->name},
                                                        {"kind", d.system->kind}}
                                       : nlohmann::json(nullptr)},
                   {"how", d.how}});
  return out;
}

}  // namespace specgap::analysis
