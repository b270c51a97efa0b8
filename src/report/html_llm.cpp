// The LLM suite: prompt processing (pp) and generation (tg) in tokens/s, and time to first token and
// time per output token in ms, as bars in two panels (one unit each) and as llama-bench's table.
#include <fmt/format.h>

#include <cmath>

#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/llm_tables.h"
#include "report/render.h"
#include "report/result_method.h"
#include "report/svg_bars.h"

namespace specgap::report {
namespace {

// "tg128 llama-3.2-1b q4_0 t2", with the depth where there was one: what a bar stands for.
std::string llm_label(const Result& r) {
  std::string label = r.name + " " + r.params.value("model_name", std::string()) + " " +
                      r.params.value("quant", std::string());
  if (r.params.value("depth", 0) > 0) label += fmt::format(" d{}", r.params.value("depth", 0));
  return label + fmt::format(" t{}", r.params.value("threads", 0));
}

bool is_rate(const Result& r) { return r.unit == "tokens/s"; }

}  // namespace

std::string llm_section(const RunRecord& run) {
  const auto rs = results_of(run, "llm");
  if (rs.empty()) return html_section("llm", "LLM inference", html_empty("Not measured in this run."));
  svg::BarPanel rates{"Throughput", "tokens per second", {}, svg::short_number};
  svg::BarPanel latency{"Latency", "milliseconds", {}, svg::short_number};
  for (auto* r : rs) {
    if (check_failed(r->check) || !std::isfinite(r->value)) continue;
    const bool prefill = r->name.rfind("pp", 0) == 0;
    svg::Bar bar{llm_label(*r), r->value, std::nullopt, fmt::format("{} {}", format_value(r->value), r->unit),
                 is_rate(*r) ? (prefill ? "prefill" : "decode") : "latency",
                 fmt::format("{}: {} {} ({})", llm_label(*r), format_value(r->value), r->unit,
                             r->params.value("model", std::string()))};
    (is_rate(*r) ? rates : latency).bars.push_back(std::move(bar));
  }
  std::string body =
      "<p class=\"lead\">pp: prompt tokens processed per second (prefill); tg: tokens generated per second "
      "(decode); TTFT: time to the first token of a request; TPOT: time per output token after it.</p>";
  if (!rates.bars.empty() || !latency.bars.empty())
    body += svg::bar_chart("chart-llm", "LLM throughput and latency", {rates, latency});
  body += html_table(llm_table(rs)) + html_table(llm_explain_table(rs));
  return html_section("llm", "LLM inference", body + html_method_list(rs));
}

}  // namespace specgap::report
