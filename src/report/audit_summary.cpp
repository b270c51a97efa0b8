#include "report/audit_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>

#include "report/json_fields.h"
#include "report/render.h"

namespace specgap::report {
namespace {

// Columns a UTF-8 line takes: one per character, so that "±" and "…" count once.
size_t columns(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Adds `line`, wrapped at spaces into lines of at most kSummaryColumns columns, each continuation
// indented under the line's own text: a failure's reason is never cut, only folded.
void add(std::vector<std::string>& out, const std::string& line) {
  if (columns(line) <= kSummaryColumns) {
    out.push_back(line);
    return;
  }
  const size_t indent = std::min(line.find_first_not_of(' '), line.size());
  const std::string hang(indent + 4, ' ');
  std::string current = line.substr(0, indent);
  bool words = false;
  for (size_t from = indent; from <= line.size();) {
    const size_t to = std::min(line.find(' ', from), line.size());
    const std::string word = line.substr(from, to - from);
    if (words && columns(current) + 1 + columns(word) > kSummaryColumns) {
      out.push_back(current);
      current = hang + word;
    } else {
      current += (words ? " " : "") + word;
    }
    words = true;
    from = to + 1;
  }
  out.push_back(current);
}

// At most kSummaryColumns columns, cut at a word with "…": for what the report holds in full.
std::string cut(const std::string& line) {
  if (columns(line) <= kSummaryColumns) return line;
  const size_t indent = std::min(line.find_first_not_of(' '), line.size());
  std::string out = line.substr(0, indent);
  for (size_t from = indent; from < line.size();) {
    const size_t to = std::min(line.find(' ', from), line.size());
    const std::string next = out + (from == indent ? "" : " ") + line.substr(from, to - from);
    if (columns(next) + 1 > kSummaryColumns) break;
    out = next;
    from = to + 1;
  }
  return out + "…";
}

std::string device_of(const Result& r) { return r.device.empty() ? "cpu" : r.device; }

// The CPU first, then GPUs by number (gpu10 after gpu9), then anything else by name.
bool device_before(const std::string& a, const std::string& b) {
  auto key = [](const std::string& d) {
    const bool gpu = d.rfind("gpu", 0) == 0 && d.size() > 3 && std::all_of(d.begin() + 3, d.end(), ::isdigit);
    return std::tuple(d == "cpu" ? 0 : gpu ? 1 : 2, gpu ? std::stol(d.substr(3)) : 0L, d);
  };
  return key(a) < key(b);
}

// The devices to summarise: each that has a result or was recognised in the machine record.
std::vector<std::string> devices(const nlohmann::json& findings, const RunRecord& run) {
  std::vector<std::string> ids = {"cpu"};
  auto note = [&](const std::string& id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  for (const auto& r : run.results) note(device_of(r));
  for (const auto& d : array_at(findings, "recognised")) note(text_at(d, "device", "cpu"));
  std::sort(ids.begin(), ids.end(), device_before);
  return ids;
}

std::string heading(const std::string& id, const nlohmann::json& findings) {
  nlohmann::json recognised = nlohmann::json::object();
  for (const auto& d : array_at(findings, "recognised"))
    if (text_at(d, "device") == id) recognised = d;
  const auto system = object_at(recognised, "system");
  const std::string kind = text_at(system, "kind", id.rfind("gpu", 0) == 0 ? "gpu" : "cpu");
  const std::string catalog =
      system.empty() ? "not in the catalog" : "catalog: " + text_at(system, "name", text_at(system, "id", "?"));
  return fmt::format("{}  {} ({}, {})", id, text_at(recognised, "name", "unnamed"), kind, catalog);
}

// One line per claim. The theoretical peak of a dtype is one claim that both the peak kernel and the
// GEMM are held against, so both go on its line.
void add_claims(std::vector<std::string>& out, const nlohmann::json& findings, const std::string& id) {
  struct Line {
    std::string label, claim;
    std::vector<std::string> delivered;
  };
  std::vector<Line> lines;
  std::vector<std::string> not_measured;
  bool catalog_claim = false;
  for (const auto& v : array_at(findings, "verdicts")) {
    if (text_at(v, "device", "cpu") != id) continue;
    const bool theoretical = text_at(v, "claim_kind") == "theoretical";
    catalog_claim |= !theoretical;
    std::string what = text_at(v, "what", "?"), figure = "delivered";
    if (theoretical && what.rfind("compute ", 0) == 0) figure = what.substr(8), what = "compute";
    const std::string dtype = text_at(v, "dtype");
    const std::string label = what + (dtype.empty() ? "" : " " + dtype);
    const auto claimed = number_at(v, "claimed"), delivered = number_at(v, "delivered"), ratio = number_at(v, "ratio");
    if (!delivered || !ratio) {
      not_measured.push_back(label);
      continue;
    }
    const std::string claim = fmt::format("{} {} {}", claimed ? format_value(*claimed) : "?", text_at(v, "unit"),
                                          theoretical ? "theoretical" : "claimed");
    auto line = std::find_if(lines.begin(), lines.end(), [&](const Line& l) { return l.label == label && l.claim == claim; });
    if (line == lines.end()) line = lines.insert(lines.end(), Line{label, claim, {}});
    line->delivered.push_back(fmt::format("{} {} ({:.2f})", figure, format_value(*delivered), *ratio));
  }
  out.push_back("  claim vs delivered (ratio):");
  size_t label_width = 0, claim_width = 0;
  for (const auto& l : lines) label_width = std::max(label_width, columns(l.label)), claim_width = std::max(claim_width, columns(l.claim));
  for (const auto& l : lines)
    add(out, fmt::format("    {:<{}}  {:<{}}  {}", l.label, label_width, l.claim, claim_width,
                         fmt::join(l.delivered, ", ")));
  if (!not_measured.empty()) add(out, fmt::format("    claimed, not measured here: {}", fmt::join(not_measured, ", ")));
  if (!catalog_claim) out.push_back("    no catalog claim for this device");
}

// A GPU's roofline (findings' device_rooflines): which roof binds each of its GEMMs, or what it has.
void add_device_bottleneck(std::vector<std::string>& out, const nlohmann::json& findings, const std::string& id) {
  for (const auto& d : array_at(findings, "device_rooflines")) {
    if (text_at(d, "device") != id) continue;
    const auto roofline = object_at(d, "roofline");
    std::vector<std::string> points;
    for (const auto& p : array_at(roofline, "points")) {
      const auto fraction = number_at(p, "fraction");
      points.push_back(fmt::format("{} {}-bound at {}", text_at(p, "name", "?"), text_at(p, "bound", "?"),
                                   fraction ? fmt::format("{:.2f}", *fraction) : "?"));
    }
    const auto bw = number_at(roofline, "bandwidth_gbs");
    add(out, points.empty() ? fmt::format("  bottleneck: memory roof {} GB/s; no workload placed under it",
                                          bw ? fmt::format("{:.1f}", *bw) : "?")
                            : fmt::format("  bottleneck: {}", fmt::join(points, "; ")));
    return;
  }
  out.push_back("  bottleneck: no roofline for this device (no DRAM bandwidth measured on it)");
}

// Which roof binds each LLM test, from the CPU's roofline; another device's comes from its own.
// Returns the points it named, so that advice repeating them is left out.
std::vector<std::string> add_bottleneck(std::vector<std::string>& out, const nlohmann::json& findings,
                                        const std::string& id) {
  if (id != "cpu") {
    add_device_bottleneck(out, findings, id);
    return {};
  }
  const auto roofline = object_at(findings, "roofline");
  std::vector<std::string> named, decode, prefill;
  for (const auto& p : array_at(roofline, "points")) {
    const std::string name = text_at(p, "name");
    const bool tg = name.rfind("tg", 0) == 0, pp = name.rfind("pp", 0) == 0;
    if (!tg && !pp) continue;
    named.push_back(name);
    const std::string bound = text_at(p, "bound", "?");
    // Decode's memory roof is the read bandwidth of its own run where it has one, else the machine's.
    std::string roof = "the measured " + text_at(p, "ceiling_dtype", "?") + " peak";
    if (bound == "memory")
      if (const auto bw = number_at(p, "bandwidth_gbs") ? number_at(p, "bandwidth_gbs") : number_at(roofline, "bandwidth_gbs"))
        roof = fmt::format("{:.1f} GB/s", *bw);
    const auto fraction = number_at(p, "fraction");
    (tg ? decode : prefill)
        .push_back(fmt::format("{} {}-bound at {} of {}", name.substr(0, name.find(' ')), bound,
                               fraction ? fmt::format("{:.2f}", *fraction) : "?", roof));
  }
  if (!decode.empty()) add(out, fmt::format("  decode:  {}", fmt::join(decode, "; ")));
  if (!prefill.empty()) add(out, fmt::format("  prefill: {}", fmt::join(prefill, "; ")));
  // Each point needs both roofs: say which one is missing, or that there was nothing to place.
  if (!named.empty()) return named;
  if (!number_at(roofline, "bandwidth_gbs"))
    out.push_back("  bottleneck: no roofline (no memory bandwidth measured)");
  else if (array_at(roofline, "ceilings").empty())
    out.push_back("  bottleneck: no roofline to place decode and prefill on (no compute peak measured)");
  else
    out.push_back("  bottleneck: no LLM point on the roofline (no LLM ran)");
  return named;
}

// One line per model: its rates under the names of the tests it ran (pp512, or an audit's short pp64).
void add_llm(std::vector<std::string>& out, const RunRecord& run, const std::string& id) {
  std::vector<std::pair<std::string, std::vector<std::string>>> models;
  for (const auto& r : run.results) {
    if (r.suite != "llm" || device_of(r) != id) continue;
    const bool rate = r.unit == "tokens/s", ttft = r.name == "ttft";
    if (!rate && !ttft) continue;
    std::string model = r.params.value("model_name", "?");
    if (r.params.contains("quant") && r.params["quant"].is_string()) model += " " + r.params["quant"].get<std::string>();
    auto m = std::find_if(models.begin(), models.end(), [&](const auto& e) { return e.first == model; });
    if (m == models.end()) m = models.insert(models.end(), {model, {}});
    const std::string name = ttft ? "TTFT" : r.name;
    if (check_failed(r.check))
      m->second.push_back(name + " failed");
    else if (!std::isfinite(r.value))
      m->second.push_back(name + " -");
    else
      m->second.push_back(fmt::format("{} {} {}", name, format_value(r.value), ttft ? "ms" : "tok/s"));
  }
  for (const auto& [model, rates] : models) add(out, fmt::format("  llm:     {}: {}", model, fmt::join(rates, ", ")));
}

// Where this machine stands among the catalog's systems, on the ranking's model.
void add_rank(std::vector<std::string>& out, const nlohmann::json& findings) {
  const auto ranking = object_at(findings, "ranking");
  const auto rows = array_at(ranking, "rows");
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!flag_at(rows[i], "this_machine")) continue;
    const auto tps = number_at(rows[i], "decode_tps");
    const std::string test = text_at(rows[i], "test");
    add(out, fmt::format("  rank:    #{} of {} on {} {} decode, {} tok/s ({}{})", i + 1, rows.size(),
                         text_at(ranking, "model", "?"), text_at(ranking, "quant"), tps ? format_value(*tps) : "-",
                         text_at(rows[i], "source", "?"), test.empty() ? "" : " " + test));
    return;
  }
  out.push_back("  rank:    not ranked (no bandwidth measured, or no system in the catalog to rank against)");
}

std::string part(const Result& r) {
  return fmt::format("{} {} {}{}", device_of(r), r.suite, r.name, r.dtype ? " " + *r.dtype : "");
}

// Whatever did not run or did not pass, each failure on its own line with its reason.
void add_gaps(std::vector<std::string>& out, const RunRecord& run, const AuditEnd& end) {
  if (run.status != "complete")
    add(out, fmt::format("run {}{}", run.status, run.error.empty() ? "" : ": " + run.error));
  std::vector<std::string> unsupported;
  for (const auto& r : run.results) {
    if (check_failed(r.check))
      add(out, fmt::format("FAILED {}: {}", part(r), r.check.rfind("failed: ", 0) == 0 ? r.check.substr(8) : r.check));
    else if (r.check.rfind("unsupported", 0) == 0)
      unsupported.push_back(part(r));
  }
  if (!unsupported.empty())
    add(out, fmt::format("not measurable on this hardware: {} (why: in the report)", fmt::join(unsupported, ", ")));
  for (const auto& s : end.skipped) add(out, "skipped " + s);
}

// At most three sentences of advice, each on one line, leaving out what the bottleneck lines said.
void add_advice(std::vector<std::string>& out, const nlohmann::json& findings, const std::vector<std::string>& said) {
  std::vector<std::string> advice;
  for (const auto& a : array_at(findings, "advice")) {
    if (!a.is_string()) continue;
    const std::string text = a.get<std::string>();
    const bool repeats = std::any_of(said.begin(), said.end(),
                                     [&](const std::string& p) { return text.find("(" + p + ")") != std::string::npos; });
    if (!repeats) advice.push_back(text);
  }
  if (advice.empty()) return;
  const size_t shown = std::min<size_t>(advice.size(), 3);
  out.push_back(shown < advice.size() ? fmt::format("advice ({} of {}; all in the report):", shown, advice.size())
                                      : "advice:");
  for (size_t i = 0; i < shown; ++i) out.push_back(cut("  " + advice[i]));
}

}  // namespace

std::vector<std::string> audit_summary(const nlohmann::json& findings, const RunRecord& run, const AuditEnd& end) {
  std::vector<std::string> out;
  add(out, fmt::format("specgap audit {}: {}, {} results", run.run_id, run.status, run.results.size()));
  std::vector<std::string> said;
  for (const auto& id : devices(findings, run)) {
    out.push_back("");
    add(out, heading(id, findings));
    const bool measured = std::any_of(run.results.begin(), run.results.end(), [&](const Result& r) { return device_of(r) == id; });
    if (!measured) out.push_back("  nothing measured on this device in this run");
    add_claims(out, findings, id);
    if (!measured) continue;
    for (auto& point : add_bottleneck(out, findings, id)) said.push_back(point);
    add_llm(out, run, id);
    if (id == "cpu") add_rank(out, findings);  // the ranking stands on the CPU's bandwidth and LLM runs
  }
  out.push_back("");
  add_gaps(out, run, end);
  add_advice(out, findings, said);
  add(out, "HTML report: " + end.html_path);
  add(out, "every table: " + end.tables_command);
  return out;
}

}  // namespace specgap::report
