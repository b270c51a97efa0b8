// The compute suite: peak per dtype and the best GEMM per dtype, each against the theoretical peak at
// the clock measured during it (the tables the text report draws), with the method under them.
#include "report/compute_tables.h"
#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/result_method.h"

namespace specgap::report {

std::string compute_section(const RunRecord& run) {
  std::vector<const Result*> peaks, gemms;
  for (auto* r : results_of(run, "compute", "cpu")) (r->name == "gemm" ? gemms : peaks).push_back(r);
  if (peaks.empty() && gemms.empty()) return html_section("compute", "Compute", html_empty("Not measured in this run."));
  std::string body;
  if (!peaks.empty()) body += html_table(peak_table(peaks));
  if (!gemms.empty()) body += html_table(gemm_table(gemms));
  if (auto sweep = gemm_curve_table(gemms); !sweep.rows.empty()) body += html_table(sweep);
  std::vector<const Result*> all = peaks;
  all.insert(all.end(), gemms.begin(), gemms.end());
  return html_section("compute", "Compute", body + html_method_list(all));
}

}  // namespace specgap::report
