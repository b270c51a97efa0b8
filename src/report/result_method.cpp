#include "report/result_method.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "core/units.h"
#include "report/html_text.h"
#include "report/render.h"

namespace specgap::report {
namespace {

enum class Shown { text, bytes, number };

// The params that say how a figure was made, in the order a reader wants them. A key a result lacks
// is skipped, so one table serves every suite.
struct Field {
  const char* key;
  const char* label;  // "" for a value that reads alone (a formula)
  Shown shown;
};
constexpr Field kFields[] = {
    {"workload", "workload", Shown::text},       {"model", "model", Shown::text},
    {"quant", "quant", Shown::text},             {"instruction", "instruction", Shown::text},
    {"threads", "threads", Shown::number},       {"array_bytes", "arrays of", Shown::bytes},
    {"working_set_bytes", "working set", Shown::bytes}, {"formula", "", Shown::text},
    {"accumulators", "accumulators", Shown::number},    {"clock_ghz", "clock GHz", Shown::number},
    {"library_version", "library", Shown::text}, {"kernel", "library kernel", Shown::text},
    {"environment", "", Shown::text},            {"n_prompt", "prompt tokens", Shown::number},
    {"n_gen", "generated tokens", Shown::number}, {"depth", "context depth", Shown::number},
    {"ubatch", "ubatch", Shown::number},         {"kv_cache", "KV cache", Shown::text},
    {"seconds", "seconds", Shown::number},       {"interval_seconds", "interval s", Shown::number},
    {"sustained_is", "sustained is", Shown::text}, {"level", "level", Shown::text},
    {"from_bytes", "from", Shown::bytes},        {"to_bytes", "to", Shown::bytes},
    {"counting", "", Shown::text},               {"convention", "", Shown::text},
    {"flops_note", "", Shown::text},             {"note", "", Shown::text},
};

std::string shown(const nlohmann::json& v, Shown how) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_number()) return v.dump();
  if (v.is_number_integer() && how != Shown::bytes) return v.dump();
  if (how == Shown::bytes && v.get<double>() >= 0) return format_bytes(uint64_t(v.get<double>()));
  return format_value(v.get<double>());
}

std::string shape(const nlohmann::json& p) {
  if (!p.contains("m") || !p.contains("n") || !p.contains("k")) return "";
  return fmt::format("shape {}x{}x{} (m x n x k)", p["m"].dump(), p["n"].dump(), p["k"].dump());
}

std::string spread(const Result& r) {
  const Stats& s = r.stats;
  if (s.reps <= 0) return "";
  std::string out = fmt::format("{} reps: median {} {}", s.reps, format_value(s.median), r.unit);
  std::string range;
  if (std::isfinite(s.min) && std::isfinite(s.max) && s.max > s.min)
    range = fmt::format("min {}, max {}", format_value(s.min), format_value(s.max));
  if (std::isfinite(s.cv)) range += fmt::format("{}CV {:.1f}%", range.empty() ? "" : ", ", s.cv * 100);
  return range.empty() ? out : out + " (" + range + ")";
}

}  // namespace

std::string method_text(const Result& r) {
  std::vector<std::string> parts;
  if (!r.impl.empty()) parts.push_back(r.impl);
  for (const Field& f : kFields) {
    if (!r.params.contains(f.key) || r.params[f.key].is_null()) continue;
    const std::string value = shown(r.params[f.key], f.shown);
    parts.push_back(*f.label ? fmt::format("{} {}", f.label, value) : value);
  }
  if (auto s = shape(r.params); !s.empty()) parts.push_back(s);
  if (r.params.contains("theoretical_peak") && r.params["theoretical_peak"].contains("formula"))
    parts.push_back("theoretical peak " + shown(r.params["theoretical_peak"]["formula"], Shown::text));
  if (auto s = spread(r); !s.empty()) parts.push_back(s);
  parts.push_back("check " + r.check);
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string html_method_list(const std::vector<const Result*>& results) {
  if (results.empty()) return "";
  std::string out = "<details class=\"method\" open><summary>How it was measured</summary><ul>";
  for (auto* r : results) {
    const std::string what = r->name + (r->dtype ? " " + *r->dtype : "");
    out += "<li><b>" + html_escape(what) + "</b>: " + html_escape(method_text(*r)) + "</li>";
  }
  return out + "</ul></details>";
}

}  // namespace specgap::report
