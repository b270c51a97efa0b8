// A section per device other than the CPU (a GPU measured through its Vulkan driver): the same
// tables the text report draws for it, under one heading that names the device, so no figure of one
// device sits in another's table.
#include <fmt/format.h>

#include <algorithm>

#include "report/compute_tables.h"
#include "report/findings_tables.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/json_fields.h"
#include "report/render.h"
#include "report/result_method.h"

namespace specgap::report {
namespace {

// The devices other than the CPU that have results, in run order.
std::vector<std::string> other_devices(const RunRecord& run) {
  std::vector<std::string> out;
  for (auto& r : run.results)
    if (r.device != "cpu" && std::find(out.begin(), out.end(), r.device) == out.end()) out.push_back(r.device);
  return out;
}

std::string device_body(const RunRecord& run, const nlohmann::json& findings, const std::string& device) {
  std::vector<const Result*> all;
  for (auto& r : run.results)
    if (r.device == device) all.push_back(&r);
  RunRecord own;  // this device's results alone, drawn as the text report draws a run
  for (auto* r : all) own.results.push_back(*r);
  const auto& first = *all.front();
  std::string body;
  if (first.params.value("device_kind", "") == "software")
    body += "<p class=\"lead\">" +
            html_escape(fmt::format("{} is a software device: a Vulkan driver running on the CPU. Its kernels are "
                                    "checked, but its figures are the CPU's running Mesa's code, not a GPU's; it is "
                                    "never held against a claim or ranked.", device)) +
            "</p>";
  if (auto claims = verdicts_table(findings, device); !claims.rows.empty()) body += html_table(claims);
  for (auto& d : array_at(findings, "device_rooflines"))
    if (text_at(d, "device") == device) body += html_table(roofline_table(object_at(d, "roofline"), device));
  for (const auto& t : run_tables(own, Verdicts::in_findings))
    if (!t.rows.empty()) body += html_table(t);
  return body + html_method_list(all);
}

}  // namespace

std::string device_sections(const RunRecord& run, const nlohmann::json& findings) {
  std::string out;
  for (const auto& device : other_devices(run)) {
    const Result* first = nullptr;
    for (auto& r : run.results)
      if (r.device == device && !first) first = &r;
    const std::string name = first->params.value("device_name", "");
    const std::string title = name.empty() ? device : fmt::format("{}: {}", device, name);
    out += html_section("device-" + device, title, device_body(run, findings, device));
  }
  return out;
}

}  // namespace specgap::report
