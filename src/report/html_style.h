#pragma once
// The report's stylesheet: system fonts, quiet tables, the chart colours by class, and print rules.
namespace specgap::report {

extern const char* const kReportCss;

}  // namespace specgap::report
