#include "core/telemetry.h"

#include "core/error.h"

namespace specgap {

nlohmann::json to_json(const TelemetryTick& tick) {
  return {{"t", tick.t}, {"readings", tick.readings}};
}

TelemetryTick tick_from_json(const nlohmann::json& j) {
  try {
    TelemetryTick tick;
    tick.t = j.at("t").get<double>();
    tick.readings = j.at("readings").get<std::map<std::string, double>>();
    return tick;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("malformed telemetry tick: ") + e.what());
  }
}

nlohmann::json to_json(const TelemetryInfo& info) {
  nlohmann::json j = {{"hz", info.hz},
                      {"sources", info.sources},
                      {"unavailable", info.unavailable},
                      {"cpu_seconds", info.cpu_seconds},
                      {"wall_seconds", info.wall_seconds}};
  if (!info.gpu_pci.empty()) j["gpu_pci"] = info.gpu_pci;
  return j;
}

TelemetryInfo telemetry_info_from_json(const nlohmann::json& j) {
  TelemetryInfo info;
  if (!j.is_object()) return info;
  info.hz = j.value("hz", 0.0);
  info.cpu_seconds = j.value("cpu_seconds", 0.0);
  info.wall_seconds = j.value("wall_seconds", 0.0);
  info.sources = j.value("sources", std::vector<std::string>{});
  info.unavailable = j.value("unavailable", std::vector<std::string>{});
  if (j.contains("gpu_pci") && j["gpu_pci"].is_array())
    for (const auto& a : j["gpu_pci"]) info.gpu_pci.push_back(a.is_string() ? a.get<std::string>() : "");
  return info;
}

}  // namespace specgap
