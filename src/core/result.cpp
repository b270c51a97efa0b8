#include "core/result.h"

#include <cmath>

#include "core/error.h"

namespace specgap {
namespace {
// JSON has no NaN: an undefined statistic is written as null and read back as NaN.
nlohmann::json number_or_null(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}
double number_or_nan(const nlohmann::json& j) {
  return j.is_number() ? j.get<double>() : std::nan("");
}
}  // namespace

nlohmann::json stats_to_json(const Stats& s) {
  return {{"median", number_or_null(s.median)}, {"mean", number_or_null(s.mean)},
          {"min", number_or_null(s.min)},       {"max", number_or_null(s.max)},
          {"stddev", number_or_null(s.stddev)}, {"cv", number_or_null(s.cv)},
          {"reps", s.reps}};
}

Stats stats_from_json(const nlohmann::json& j) {
  Stats s;
  s.median = number_or_nan(j.value("median", nlohmann::json()));
  s.mean = number_or_nan(j.value("mean", nlohmann::json()));
  s.min = number_or_nan(j.value("min", nlohmann::json()));
  s.max = number_or_nan(j.value("max", nlohmann::json()));
  s.stddev = number_or_nan(j.value("stddev", nlohmann::json()));
  s.cv = number_or_nan(j.value("cv", nlohmann::json()));
  s.reps = j.value("reps", size_t{0});
  return s;
}

nlohmann::json to_json(const Result& r) {
  nlohmann::json j = {{"suite", r.suite}, {"device", r.device}, {"name", r.name},
                      {"dtype", r.dtype ? nlohmann::json(*r.dtype) : nlohmann::json(nullptr)},
                      {"value", number_or_null(r.value)}, {"unit", r.unit}, {"impl", r.impl},
                      {"stats", stats_to_json(r.stats)}, {"params", r.params}, {"check", r.check}};
  if (!r.variants.empty()) j["variants"] = r.variants;
  return j;
}

Result result_from_json(const nlohmann::json& j) {
  try {
    Result r;
    r.suite = j.at("suite").get<std::string>();
    r.device = j.at("device").get<std::string>();
    r.name = j.at("name").get<std::string>();
    if (j.contains("dtype") && j["dtype"].is_string()) r.dtype = j["dtype"].get<std::string>();
    r.value = number_or_nan(j.at("value"));
    r.unit = j.at("unit").get<std::string>();
    r.impl = j.value("impl", "");
    r.stats = stats_from_json(j.value("stats", nlohmann::json::object()));
    r.params = j.value("params", nlohmann::json::object());
    r.check = j.value("check", "");
    r.variants = j.value("variants", nlohmann::json::array());
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("malformed result record: ") + e.what());
  }
}

nlohmann::json to_json(const RunRecord& run) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& r : run.results) results.push_back(to_json(r));
  nlohmann::json j = {{"schema", kRunSchema},
                      {"run_id", run.run_id},
                      {"started_at", run.started_at},
                      {"finished_at", run.finished_at.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(run.finished_at)},
                      {"specgap_version", run.specgap_version},
                      {"status", run.status},
                      {"command", run.command},
                      {"machine", run.machine},
                      {"results", results},
                      {"verdicts", run.verdicts},
                      {"samples", run.samples}};
  if (!run.error.empty()) j["error"] = run.error;
  nlohmann::json telemetry = to_json(run.telemetry);
  telemetry["timeline"] = nlohmann::json::array();
  for (const auto& tick : run.timeline) telemetry["timeline"].push_back(to_json(tick));
  j["telemetry"] = telemetry;
  return j;
}

}  // namespace specgap
