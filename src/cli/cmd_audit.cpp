// specgap audit: the one command. Probe, memory bandwidth and latency, compute (peak per dtype and
// GEMM), the LLM suite on llama-3.2-1b and on the largest Llama that fits comfortably, and a short
// soak, within a time budget; then claim vs delivered, the roofline, the ranking against the catalog
// and advice, summarised on one screen and written in full as one HTML report. Ctrl-C keeps what was
// measured and still reports.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "analysis/findings.h"
#include "analysis/model_cost.h"
#include "cli/app.h"
#include "cli/audit_progress.h"
#include "cli/catalog_source.h"
#include "cli/cmd_compute.h"
#include "cli/cmd_llm.h"
#include "cli/cmd_memory.h"
#include "cli/cmd_soak.h"
#include "cli/report_files.h"
#include "cli/session.h"
#include "core/error.h"
#include "report/audit_summary.h"
#include "report/findings_tables.h"

namespace specgap::cli {
namespace {

struct AuditOptions {
  double budget = 300;  // seconds: about five minutes on a 2-core VM, the soak included
  std::string report;   // where the HTML report goes (default: beside the results database)
  std::vector<std::string> catalog_dirs;
};

// The GEMM shapes audit runs: a large square and the largest Llama-3-8B prefill layer (a small square
// would cost the budget the larger LLM needs); `specgap compute` sweeps the whole list.
ComputeOptions audit_compute_options() {
  ComputeOptions o;
  o.shapes = {"4096", "512x14336x4096"};
  return o;
}

// The largest Llama preset whose Q4_K_M weights and cache take at most half the memory available.
std::optional<std::string> largest_comfortable_preset(const Machine& m) {
  for (const char* preset : {"llama-3.3-70b", "llama-3.1-8b", "llama-3.2-3b"}) {
    const auto c = analysis::model_cost(preset, "q4_k_m");
    if (c && c->weight_bytes + c->kv_bytes(4096) <= 0.5 * static_cast<double>(m.memory.available_bytes)) return preset;
  }
  return std::nullopt;
}

// GPT-OSS-20B in ggml-org's layout (MXFP4 experts), the seed's headline architecture, when its
// weights and cache take at most 60% of the memory available (the Llama preset above has run and
// freed its memory by then); elsewhere the findings project it.
std::optional<LlmOptions> moe_options(const Machine& m) {
  const auto c = analysis::model_cost("gpt-oss-20b", "mxfp4");
  if (!c || c->weight_bytes + c->kv_bytes(4096) > 0.6 * static_cast<double>(m.memory.available_bytes)) return std::nullopt;
  LlmOptions o;
  o.preset = "gpt-oss-20b";
  o.quant = "mxfp4";
  return o;
}

double result_value(const std::vector<Result>& results, const std::string& prefix) {
  for (const auto& r : results)
    if (r.name.rfind(prefix, 0) == 0 && r.check == kCheckPassed) return r.value;
  return 0;
}

// Seconds the larger model should take, scaled from what llama-3.2-1b took here: prefill by FLOPs,
// decode by bytes, plus generating its weights (about 1 GB/s) and the warm-up.
std::optional<double> estimate_seconds(const std::vector<Result>& small_results, const LlmOptions& big) {
  const auto small = analysis::model_cost("llama-3.2-1b", "q4_0");
  const auto large = analysis::model_cost(big.preset, big.quant);
  const double pp = result_value(small_results, "pp"), tg = result_value(small_results, "tg");
  if (!small || !large || pp <= 0 || tg <= 0) return std::nullopt;
  const double prompt_s = big.n_prompt * large->prompt_token_flops(0) / (pp * small->prompt_token_flops(0));
  const double gen_s = big.n_gen * large->decode_bytes(0) / (tg * small->decode_bytes(0));
  return large->weight_bytes / 1e9 + (big.reps + 1) * (prompt_s + gen_s) + prompt_s + gen_s;
}

// The text form is one screen (report/audit_summary.h); JSON, Markdown and CSV stay complete: the run
// as the session printed it, then (Markdown, CSV) the findings tables.
void print_findings(const Session& session, const std::vector<catalog::System>& systems, const AuditOptions& o,
                    const GlobalOptions& g, const AuditProgress& progress) {
  const RunRecord& run = session.record();
  const auto findings = analysis::audit_findings(run, systems);
  const report::Format format = g.format();
  if (format != report::Format::text)
    for (const auto& s : progress.skipped()) std::fprintf(stderr, "specgap audit: skipped %s\n", s.c_str());
  std::fprintf(stderr, "specgap audit: stages: %s\n", progress.timings().c_str());
  const std::string path = write_html_report(run, systems, o.report, session.store_path());
  if (format == report::Format::text) {
    const std::string db = g.db.empty() ? "" : " --db " + g.db;
    std::string out;
    for (const auto& line : report::audit_summary(findings, run, {progress.skipped(), path,
                                                                  "specgap report " + run.run_id + db}))
      out += line + "\n";
    std::fputs(out.c_str(), stdout);
    return;
  }
  if (format != report::Format::json) {
    std::string out;
    for (const auto& t : report::findings_tables(findings)) out += "\n" + report::draw(t, format);
    std::fputs(out.c_str(), stdout);
  }
  std::fprintf(format == report::Format::json ? stderr : stdout, "\nHTML report: %s\n", path.c_str());
}
}  // namespace

Command add_audit_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<AuditOptions>();
  auto* sub = app.add_subcommand("audit", "measure everything, hold it against the claims, rank it, and write the report");
  sub->add_option("--budget", o->budget, "time budget in seconds (default 300); stages that would overrun it are skipped and named")
      ->check(CLI::Range(30.0, 86400.0));
  sub->add_option("-o,--report", o->report, "where to write the HTML report (a file, or a folder for RUN_ID.html)");
  add_catalog_option(sub, o->catalog_dirs);
  return {sub, [o, &g] {
            check_report_destination(o->report);  // a five-minute audit must not end unable to write
            const auto systems = load_catalog_with(o->catalog_dirs);
            const Machine m = probe_machine();
            // Every real device: the CPU first, then each GPU (a software rasteriser only when named).
            const ChosenDevices devices = choose_devices(m, {"all"});
            const std::vector<backends::Device*> cpu = {devices.chosen.front()};
            const std::vector<backends::Device*> gpus(devices.chosen.begin() + 1, devices.chosen.end());
            MemoryOptions latency;
            latency.latency = true;
            const MemoryPlan memory[] = {plan_memory(MemoryOptions{}, m), plan_memory(latency, m)};
            const ComputePlan compute = plan_compute(audit_compute_options(), m);
            LlmOptions small_options;
            small_options.reps = 3;
            const suites::LlmConfig small = plan_llm(small_options, m);
            suites::check_llm_fits(small);
            // The larger models run a shorter test, one repetition after the warm-up: their figures are
            // named pp64 and tg16, so no one reads them as llama-bench's pp512 and tg128.
            std::vector<LlmOptions> larger;
            if (auto moe = moe_options(m)) larger.push_back(*moe);
            if (auto preset = largest_comfortable_preset(m)) {
              larger.emplace_back();
              larger.back().preset = *preset;
              larger.back().quant = "q4_k_m";
            }
            for (auto& o : larger) {
              o.n_prompt = 64;
              o.n_gen = 16;
              o.reps = 1;
              o.no_request = true;
            }
            SoakOptions soak_options;
            soak_options.minutes = 1;
            suites::SoakConfig soak = plan_soak(soak_options, m);
            // The soak gets 12% of the budget (at least 20 s) plus what its checks and warm-up take
            // (about 8 s here); the findings and the report take a second or two.
            const double soak_seconds = std::clamp(o->budget * 0.12, 20.0, 600.0), soak_overhead = 8;
            const double report_seconds = 2;

            Session session(g, m, devices_json(devices));
            session.leave_verdicts_to_findings();
            if (g.format() == report::Format::text) session.leave_tables_to_report();
            AuditProgress p(session, o->budget, 5 + int(larger.size()) + 2 * int(gpus.size()));
            const int code = session.run([&](RunSink&) {
              auto fits = [&](double seconds, const std::string& what) {
                const double before_soak = p.left() - soak_seconds - soak_overhead - report_seconds;
                if (before_soak >= seconds) return true;
                p.skip(fmt::format("{} (needs about {:.0f} s, {:.0f} s of the budget left before the soak)", what,
                                   seconds, std::max(0.0, before_soak)));
                return false;
              };
              p.stage("memory bandwidth");
              measure_memory(memory[0], cpu, p);
              p.stage("memory latency");
              if (fits(15, "latency")) measure_memory(memory[1], cpu, p);
              p.stage("compute");
              if (fits(40, "compute")) measure_compute(compute, cpu, p);
              for (auto* gpu : gpus) {
                p.stage(gpu->info().id + " memory and transfers");
                if (fits(20, gpu->info().id + " memory")) measure_memory(memory[0], {gpu}, p);
                p.stage(gpu->info().id + " compute");
                if (fits(30, gpu->info().id + " compute")) measure_compute(compute, {gpu}, p);
              }
              p.stage("llm llama-3.2-1b q4_0");
              std::vector<Result> small_results;
              if (fits(30, "llama-3.2-1b")) small_results = suites::measure_llm(small, p);
              for (const auto& big_options : larger) {
                const std::string what = big_options.preset + " " + big_options.quant;
                p.stage("llm " + what);
                const auto estimate = estimate_seconds(small_results, big_options);
                if (estimate && fits(*estimate, what)) {
                  const auto big = plan_llm(big_options, m);
                  suites::check_llm_fits(big);
                  suites::measure_llm(big, p);
                }
              }
              p.stage("soak");
              soak.seconds = std::max(20.0, std::min(soak_seconds, p.left() - soak_overhead - report_seconds));
              suites::measure_soak(*cpu.front(), soak, p);
            });
            print_findings(session, systems, *o, g, p);
            return code;
          }};
}

}  // namespace specgap::cli
