// The page: head with its stylesheet and a policy that forbids any fetch or script, the header (which
// machine, when, which specgap, which run, its status), a banner for a run that did not complete, then
// the sections in reading order.
#include "report/html_report.h"

#include <fmt/format.h>

#include <set>

#include "report/html_sections.h"
#include "report/html_style.h"
#include "report/html_text.h"
#include "report/json_fields.h"
#include "report/render.h"
#include "report/result_method.h"

namespace specgap::report {
namespace {

const std::set<std::string> kSuitesWithSections = {"memory", "transfer", "compute", "llm", "soak"};

// What the reader calls the machine: the catalog system its CPU was recognised as, else its CPU and
// GPUs by their own names (a recognised GPU names only itself, never the machine around it).
std::string machine_name(const RunRecord& run, const nlohmann::json& findings) {
  for (auto& d : array_at(findings, "recognised"))
    if (text_at(d, "device") == "cpu")
      if (auto name = text_at(object_at(d, "system"), "name"); !name.empty()) return name;
  std::string name = text_at(object_at(run.machine, "cpu"), "model_name", "unknown machine");
  for (auto& gpu : array_at(run.machine, "gpus"))
    if (auto g = text_at(gpu, "name"); !g.empty()) name += " + " + g;
  return name;
}

std::string banner(const RunRecord& run) {
  if (run.status == "complete") return "";
  std::string what = run.status == "interrupted" ? "This run was interrupted"
                     : run.status == "failed"    ? "This run failed"
                     : run.status == "running"   ? "This run had not finished when this report was written"
                                                 : "This run's status is " + run.status;
  what += ": the figures below are the ones stored before it stopped, and a suite that had not run is missing.";
  if (!run.error.empty()) what += " Error: " + run.error;
  return "<div class=\"banner\" role=\"alert\"><b>" + html_escape(run.status) + ".</b> " + html_escape(what) + "</div>";
}

std::string header(const RunRecord& run, const nlohmann::json& findings) {
  const auto meta = [](const std::string& label, const std::string& value) {
    return "<span>" + html_escape(label) + " <b>" + html_escape(value.empty() ? "-" : value) + "</b></span>";
  };
  std::string out = "<header class=\"report\"><h1>" + html_escape(machine_name(run, findings)) + "</h1><p class=\"meta\">";
  out += "<span class=\"status " + html_escape(run.status) + "\">" + html_escape(run.status) + "</span> ";
  out += meta("run", run.run_id) + meta("started", run.started_at) + meta("finished", run.finished_at) +
         meta("specgap", run.specgap_version);
  out += "</p><p class=\"meta\">" + meta("command", run.command) + "</p>";
  out += "<nav class=\"contents\">";
  for (auto [id, title] : {std::pair{"machine", "Machine"}, {"claims", "Claim vs delivered"}, {"roofline", "Roofline"},
                           {"memory", "Memory"}, {"compute", "Compute"}, {"llm", "LLM"}, {"soak", "Soak"},
                           {"telemetry", "Telemetry"}, {"ranking", "Ranking"}, {"advice", "Advice"}})
    out += fmt::format("<a href=\"#{}\">{}</a>", id, title);
  return out + "</nav></header>" + banner(run);
}

// Results of a suite this page has no view for yet (a new suite is shown before it has one).
std::string other_results_section(const RunRecord& run) {
  std::vector<const Result*> other;
  for (auto& r : run.results)
    if (!kSuitesWithSections.count(r.suite)) other.push_back(&r);
  if (other.empty()) return "";
  Table t{"", {"suite", "name", "dtype", "value", "unit", "impl", "check"}, {}, {}};
  for (auto* r : other)
    t.rows.push_back({r->suite, r->name, r->dtype.value_or("-"), format_value(r->value), r->unit, r->impl, r->check});
  return html_section("other", "Other results", html_table(t) + html_method_list(other));
}

}  // namespace

std::vector<const Result*> results_of(const RunRecord& run, const std::string& suite, const std::string& device) {
  std::vector<const Result*> out;
  for (auto& r : run.results)
    if (r.suite == suite && (device.empty() || r.device == device)) out.push_back(&r);
  return out;
}

std::string machine_section(const RunRecord& run, const nlohmann::json& findings) {
  std::string body;
  std::string lines;
  for (auto& d : array_at(findings, "recognised")) {
    const auto system = object_at(d, "system");
    const std::string device = text_at(d, "device", "?") + " (" + text_at(d, "name", "unnamed") + ")";
    lines += "<li>" +
             html_escape(system.empty() ? device + ": not a system in the catalog"
                                        : fmt::format("{}: {} (catalog id {}), {}", device, text_at(system, "name"),
                                                      text_at(system, "id"), text_at(d, "how"))) +
             "</li>";
  }
  body += "<p class=\"lead\">Each device is held only against the catalog's claims for that device; one not in the "
          "catalog has its theoretical peaks alone.</p><ul>" + lines + "</ul>";
  Table t = machine_table(run.machine);
  t.title.clear();
  return html_section("machine", "Machine", body + html_table(t));
}

std::string render_html(const RunRecord& run, const nlohmann::json& findings) {
  const std::string name = machine_name(run, findings);
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  // Nothing may be fetched or run: the report is one file, and a stray reference fails loudly.
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  page += "<meta name=\"generator\" content=\"specgap " + html_escape(run.specgap_version) + "\">";
  page += "<title>" + html_escape("specgap: " + name + " (" + run.run_id + ")") + "</title>";
  page += "<style>" + std::string(kReportCss) + "</style></head>\n<body><main>\n";
  page += header(run, findings);
  page += machine_section(run, findings);
  page += claims_section(findings);
  page += roofline_section(findings);
  page += memory_section(run);
  page += compute_section(run);
  page += device_sections(run, findings);
  page += llm_section(run);
  page += soak_section(run);
  page += telemetry_section(run);
  page += ranking_section(findings);
  page += advice_section(findings);
  page += other_results_section(run);
  page += "<footer>" +
          html_escape(fmt::format("specgap {}: run {}, {} results, {} raw samples stored. Bandwidth in GB/s counts 1e9 "
                                  "bytes (STREAM's convention); FLOP/s count an FMA as 2.",
                                  run.specgap_version, run.run_id, run.results.size(), run.samples)) +
          "</footer>\n</main></body></html>\n";
  return page;
}

}  // namespace specgap::report
