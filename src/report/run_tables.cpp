// Groups a run's results into tables by what they are: sustained bandwidth, sweep curves, latency,
// plateaus; anything else falls into one generic table, so a new suite is shown before it has a view.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/units.h"
#include "report/compute_tables.h"
#include "report/llm_tables.h"
#include "report/render.h"
#include "report/soak_tables.h"

namespace specgap::report {
namespace {
std::string kind_of(const Result& r) { return r.params.value("kind", std::string()); }

// Above this coefficient of variation a figure is flagged as measured on a noisy machine.
constexpr double kNoisyCv = 0.05;

std::string pct(double cv) { return std::isfinite(cv) ? fmt::format("{:.1f}%", cv * 100) : "-"; }

std::string bytes_param(const Result& r, const char* key) {
  if (!r.params.contains(key) || !r.params[key].is_number_integer()) return "-";
  const auto v = r.params[key].get<int64_t>();
  return v < 0 ? "-" : format_bytes(uint64_t(v));
}

std::string other_variants(const Result& r) {
  std::string s;
  for (auto& v : r.variants) {
    if (v.value("impl", "") == r.impl) continue;
    const auto st = v.value("stats", nlohmann::json::object());
    std::string figure = v.value("check", "") == kCheckPassed && st.contains("median") && st["median"].is_number()
                             ? format_value(st["median"].get<double>())
                             : "check failed";
    s += (s.empty() ? "" : ", ") + v.value("impl", "?") + " " + figure;
  }
  return s;
}

// "gpu0 (llvmpipe (LLVM 15.0.6, 256 bits), software)"; just "cpu" for the CPU.
std::string device_title(const Result& r) {
  if (r.device == "cpu" || !r.params.contains("device_name")) return r.device;
  return fmt::format("{} ({}, {})", r.device, r.params.value("device_name", "?"), r.params.value("device_kind", "?"));
}

// A software rasteriser's figures are Mesa's code on the CPU: measured, but no GPU's.
void note_software_devices(Table& t, const std::vector<const Result*>& rs) {
  std::vector<std::string> seen;
  for (auto* r : rs)
    if (r->params.value("device_kind", "") == "software" &&
        std::find(seen.begin(), seen.end(), r->device) == seen.end()) {
      seen.push_back(r->device);
      t.notes.push_back(fmt::format("{} is a software device (a Vulkan driver running on the CPU): its kernels are "
                                    "checked, but its figures mean nothing as a GPU's", device_title(*r)));
    }
}

std::string threads_cell(const Result& r) {
  return r.params.contains("threads") ? std::to_string(r.params.value("threads", 0)) : "-";
}

Table bandwidth_table(const std::vector<const Result*>& rs) {
  const std::string on = rs.front()->device == "cpu" ? "" : " on " + device_title(*rs.front());
  Table t{"Memory bandwidth" + on + " (GB/s, 1e9 bytes, STREAM counting)",
          {"kernel", "threads", "median", "best", "min", "cv", "reps", "impl", "check", "other variants (median)"},
          {},
          {}};
  for (auto* r : rs)
    t.rows.push_back({r->name, threads_cell(*r), format_value(r->value),
                      format_value(r->stats.max), format_value(r->stats.min), pct(r->stats.cv),
                      std::to_string(r->stats.reps), r->impl, r->check, other_variants(*r)});
  if (!rs.empty())
    t.notes.push_back(fmt::format("arrays: 3 x {}; median of the best variant, best = fastest repetition",
                                  bytes_param(*rs.front(), "array_bytes")));
  std::string noisy;
  for (auto* r : rs)
    if (std::isfinite(r->stats.cv) && r->stats.cv > kNoisyCv)
      noisy += fmt::format("{}{}{} {}", noisy.empty() ? "" : ", ", r->name,
                           r->params.contains("threads") ? " " + threads_cell(*r) + "t" : "", pct(r->stats.cv));
  if (!noisy.empty())
    t.notes.push_back(fmt::format("noisy: CV above {:.0f}% ({}): the machine was busy or changed speed during the "
                                  "run; compare medians, or rerun when it is idle",
                                  kNoisyCv * 100, noisy));
  note_software_devices(t, rs);
  return t;
}

Table transfer_table(const std::vector<const Result*>& rs) {
  Table t{"Transfers on " + device_title(*rs.front()) + " (GB/s, 1e9 bytes copied, counted once as nvbandwidth does)",
          {"copy", "median", "best", "min", "cv", "reps", "bytes", "impl", "check", "other variants (median)"},
          {},
          {}};
  for (auto* r : rs)
    t.rows.push_back({r->name, format_value(r->value), format_value(r->stats.max), format_value(r->stats.min),
                      pct(r->stats.cv), std::to_string(r->stats.reps), bytes_param(*r, "bytes"), r->impl, r->check,
                      other_variants(*r)});
  for (auto* r : rs)
    if (r->params.contains("note")) {
      t.notes.push_back(r->params.value("note", ""));
      break;
    }
  t.notes.push_back("bidir counts both directions' bytes; d2d moves each byte through DRAM twice (read and write)");
  note_software_devices(t, rs);
  return t;
}

Table curve_table(const std::string& name, const std::vector<const Result*>& rs) {
  const bool latency = name == "latency";
  Table t{latency ? "Load-to-use latency (ns per load, random pointer chase)"
                  : fmt::format("Bandwidth sweep: {} (GB/s, impl {})", name, rs.front()->impl),
          {"working set", latency ? "ns" : "GB/s", "min", "max", "cv"}, {}, {}};
  for (auto* r : rs)
    t.rows.push_back({bytes_param(*r, "working_set_bytes"), format_value(r->value), format_value(r->stats.min),
                      format_value(r->stats.max), pct(r->stats.cv)});
  return t;
}

Table plateau_table(const std::vector<const Result*>& rs) {
  Table t{"Cache plateaus found in the curves", {"kernel", "level", "from", "to", "value", "unit", "points"}, {}, {}};
  for (auto* r : rs)
    t.rows.push_back({r->name, r->params.value("level", "?"), bytes_param(*r, "from_bytes"),
                      bytes_param(*r, "to_bytes"), format_value(r->value), r->unit,
                      std::to_string(r->params.value("points", 0))});
  return t;
}

Table verdict_table(const nlohmann::json& verdicts) {
  Table t{"Claim vs delivered: theoretical peak at the measured clock",
          {"what", "dtype", "claimed", "delivered", "unit", "ratio"},
          {},
          {}};
  for (auto& v : verdicts) {
    const std::string dtype = v["dtype"].is_string() ? v["dtype"].get<std::string>() : "-";
    t.rows.push_back({v.value("what", "?"), dtype, fmt::format("{:.4g}", v.value("claimed", 0.0)),
                      fmt::format("{:.4g}", v.value("delivered", 0.0)), v.value("unit", ""),
                      fmt::format("{:.3f}", v.value("ratio", 0.0))});
    t.notes.push_back(fmt::format("{} {}: claim = {}; {}", v.value("what", "?"), dtype, v.value("claim_source", ""),
                                  v.value("note", "")));
  }
  return t;
}

Table generic_table(const std::vector<const Result*>& rs) {
  Table t{"Results", {"device", "suite", "name", "dtype", "value", "unit", "impl", "cv", "check"}, {}, {}};
  for (auto* r : rs)
    t.rows.push_back({r->device, r->suite, r->name, r->dtype.value_or("-"), format_value(r->value), r->unit, r->impl,
                      pct(r->stats.cv), r->check});
  note_software_devices(t, rs);
  return t;
}
}  // namespace

std::string format_value(double v) {
  if (!std::isfinite(v)) return "-";
  const double a = std::fabs(v);
  if (a >= 100) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3g}", v);
}

std::vector<Table> run_tables(const RunRecord& run, Verdicts verdicts) {
  std::vector<Table> tables;
  if (!run.machine.empty()) tables.push_back(machine_table(run.machine));
  // Sustained bandwidth, transfers and compute: one table each per device, the CPU's first.
  std::vector<std::string> devices;
  std::map<std::string, std::vector<const Result*>> bandwidth, transfers, peaks, gemms;
  std::vector<const Result*> plateaus, llm, soak, other;
  const auto of = [&](std::map<std::string, std::vector<const Result*>>& group, const Result& r) {
    if (std::find(devices.begin(), devices.end(), r.device) == devices.end()) devices.push_back(r.device);
    group[r.device].push_back(&r);
  };
  std::vector<std::string> curve_order;
  std::map<std::string, std::vector<const Result*>> curves;
  for (auto& r : run.results) {
    const std::string kind = kind_of(r);
    if (r.suite == "memory" && kind.empty() && r.name != "latency" && r.name != "device") {
      of(bandwidth, r);
    } else if (r.suite == "transfer" && r.name != "device") {
      of(transfers, r);
    } else if (r.suite == "memory" && kind == "sweep_point") {
      if (!curves.count(r.name)) curve_order.push_back(r.name);
      curves[r.name].push_back(&r);
    } else if (r.suite == "memory" && kind == "plateau") {
      plateaus.push_back(&r);
    } else if (r.suite == "compute" && r.name == "peak") {
      of(peaks, r);
    } else if (r.suite == "compute" && r.name == "gemm") {
      of(gemms, r);
    } else if (r.suite == "llm") {
      llm.push_back(&r);
    } else if (r.suite == "soak") {
      soak.push_back(&r);
    } else {
      other.push_back(&r);
    }
  }
  std::stable_partition(devices.begin(), devices.end(), [](const std::string& d) { return d == "cpu"; });
  for (auto& device : devices)
    if (bandwidth.count(device)) tables.push_back(bandwidth_table(bandwidth[device]));
  for (auto& name : curve_order) tables.push_back(curve_table(name, curves[name]));
  if (!plateaus.empty()) tables.push_back(plateau_table(plateaus));
  for (auto& device : devices) {
    if (transfers.count(device)) tables.push_back(transfer_table(transfers[device]));
    const Result* first = peaks.count(device) ? peaks[device].front() : gemms.count(device) ? gemms[device].front() : nullptr;
    if (!first) continue;
    const std::string on = device == "cpu" ? "" : device_title(*first);
    if (peaks.count(device)) {
      tables.push_back(peak_table(peaks[device], on));
      note_software_devices(tables.back(), peaks[device]);
    }
    if (gemms.count(device)) {
      tables.push_back(gemm_table(gemms[device], on));
      note_software_devices(tables.back(), gemms[device]);
      tables.push_back(gemm_curve_table(gemms[device], on));
    }
  }
  if (!llm.empty()) {
    tables.push_back(llm_table(llm));
    tables.push_back(llm_explain_table(llm));
  }
  for (auto* r : soak) tables.push_back(soak_table(*r));
  if (!other.empty()) tables.push_back(generic_table(other));
  if (auto t = telemetry_table(run); !t.title.empty()) tables.push_back(t);
  if (!run.verdicts.empty() && verdicts == Verdicts::shown) tables.push_back(verdict_table(run.verdicts));
  return tables;
}

}  // namespace specgap::report
