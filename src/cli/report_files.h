#pragma once
// Writing a report to a file: the HTML report of a run (for `specgap report` and the end of `specgap
// audit`) and any text, each written whole through a temporary file and a rename, so a full disk or a
// kill never leaves half a report where the reader expects one.
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/result.h"

namespace specgap::cli {

// Where a run's HTML report goes by default: beside the results database, <db folder>/reports/RUN_ID.html.
std::string default_report_path(const std::string& db_path, const std::string& run_id);

// Computes the audit's findings for `run` against `catalog`, renders the HTML report and writes it to
// `path_or_empty` (an existing folder: RUN_ID.html inside it; empty: default_report_path, its folder
// created). Returns the path written. Throws specgap::Error with one line naming the path and the
// reason (a missing folder, no permission, a full disk); nothing is left at the path then.
std::string write_html_report(const RunRecord& run, const std::vector<catalog::System>& catalog,
                              const std::string& path_or_empty, const std::string& db_path);

// Refuses, before anything is measured, a destination write_html_report could not write: a path whose
// folder does not exist or is not writable. Empty (the default place) is always accepted.
void check_report_destination(const std::string& path_or_empty);

// Writes `content` to `path` through `path`.tmp.XXXXXX in the same folder, fsync, rename.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace specgap::cli
