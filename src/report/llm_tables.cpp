#include "report/llm_tables.h"

#include <fmt/format.h>

#include <cmath>

#include "core/units.h"

namespace specgap::report {
namespace {
double number(const Result& r, const char* key) {
  const auto it = r.params.find(key);
  return it != r.params.end() && it->is_number() ? it->get<double>() : std::nan("");
}
std::string text(const Result& r, const char* key) {
  const auto it = r.params.find(key);
  return it != r.params.end() && it->is_string() ? it->get<std::string>() : "";
}
std::string model_cell(const Result& r) {
  std::string m = text(r, "model_name");
  if (const auto q = text(r, "quant"); !q.empty()) m += " " + q;
  return m;
}
std::string test_cell(const Result& r) {
  const double depth = number(r, "depth");
  return depth > 0 ? fmt::format("{} @ d{:.0f}", r.name, depth) : r.name;
}
bool is_rate(const Result& r) { return r.unit == "tokens/s"; }
}  // namespace

Table llm_table(const std::vector<const Result*>& rs) {
  Table t{"LLM throughput (llama-bench's tests; median ± standard deviation over repetitions)",
          {"model", "size", "params", "threads", "test", "t/s", "check"}, {}, {}};
  std::string kernels, source;
  for (auto* r : rs) {
    if (!is_rate(*r)) continue;
    const std::string rate = std::isfinite(r->value) ? fmt::format("{:.2f} ± {:.2f}", r->value, r->stats.stddev) : "-";
    t.rows.push_back({model_cell(*r), format_bytes(static_cast<uint64_t>(number(*r, "model_bytes"))),
                      fmt::format("{:.2f} B", number(*r, "parameters") / 1e9), fmt::format("{:.0f}", number(*r, "threads")),
                      test_cell(*r), rate, r->check});
    kernels = r->impl;
    source = text(*r, "model");
  }
  if (!source.empty()) t.notes.push_back("model: " + source);
  if (!kernels.empty()) t.notes.push_back("kernels: " + kernels + "; KV cache f16");
  return t;
}

Table llm_explain_table(const std::vector<const Result*>& rs) {
  Table t{"What explains the rates", {"test", "figure", "value"}, {}, {}};
  for (auto* r : rs) {
    const std::string test = test_cell(*r);
    if (r->name.rfind("tg", 0) == 0) {
      t.rows.push_back({test, "bytes read per generated token (weights + KV)", format_bytes(static_cast<uint64_t>(number(*r, "bytes_per_token")))});
      t.rows.push_back({test, "effective decode bandwidth", fmt::format("{:.1f} GB/s", number(*r, "effective_bandwidth_gbps"))});
      if (const double bw = number(*r, "read_bandwidth_gbps"); std::isfinite(bw)) {
        t.rows.push_back({test, "read bandwidth, memory kernels, same run", fmt::format("{:.1f} GB/s", bw)});
        t.rows.push_back({test, "fraction of read bandwidth used", fmt::format("{:.2f}", number(*r, "fraction_of_read_bandwidth"))});
      }
    } else if (r->name.rfind("pp", 0) == 0) {
      t.rows.push_back({test, "FLOPs per prompt token (layer matrices)", fmt::format("{:.2f} GFLOP", number(*r, "flops_per_token") / 1e9)});
      t.rows.push_back({test, "effective prefill rate", fmt::format("{:.3f} TFLOP/s", number(*r, "effective_tflops"))});
    } else if (r->unit == "ms") {
      // A figure with no value (TPOT of one generated token) says why, in the check's words.
      const std::string reason = r->check.rfind("unsupported: ", 0) == 0 ? r->check.substr(13) : r->check;
      t.rows.push_back({r->name, r->name == "ttft" ? "time to first token (prompt, then the first greedy token)"
                                                     : "time per output token after the first",
                        std::isfinite(r->value) ? fmt::format("{:.1f} ms ± {:.1f}", r->value, r->stats.stddev)
                                                : "not measured: " + reason});
    }
  }
  return t;
}

}  // namespace specgap::report
