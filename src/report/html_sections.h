#pragma once
// The sections of the HTML report (html_report.h), one function each, each in its own file. A section
// with nothing to show says so in a line instead of drawing an empty chart.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace specgap::report {

std::string machine_section(const RunRecord& run, const nlohmann::json& findings);
std::string claims_section(const nlohmann::json& findings);
std::string roofline_section(const nlohmann::json& findings);
// The CPU's memory and compute; every other device has a section of its own (device_sections).
std::string memory_section(const RunRecord& run);
std::string compute_section(const RunRecord& run);
// One section per device other than the CPU that has results: its claims, its roofline, its memory
// and transfers, its compute, each as the text report draws them.
std::string device_sections(const RunRecord& run, const nlohmann::json& findings);
std::string llm_section(const RunRecord& run);
std::string soak_section(const RunRecord& run);
std::string telemetry_section(const RunRecord& run);
std::string ranking_section(const nlohmann::json& findings);
std::string advice_section(const nlohmann::json& findings);

// The results of one suite, in run order; only one device's when `device` is given.
std::vector<const Result*> results_of(const RunRecord& run, const std::string& suite, const std::string& device = "");

}  // namespace specgap::report
