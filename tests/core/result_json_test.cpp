// The result record scripts rely on: to_json / result_from_json round-trip every field, NaN travels
// as null and comes back as NaN, and a malformed record is a specgap::Error, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/result.h"

namespace specgap {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Result sample_result() {
  Result r;
  r.suite = "memory";
  r.device = "cpu";
  r.name = "triad";
  r.dtype = "fp64";
  r.value = 123.456789012345678;  // needs all 17 digits to survive
  r.unit = "GB/s";
  r.impl = "avx512-nt";
  r.stats = {120.5, 121.25, 100.0 / 3.0, 130, 2.5, 0.0206, 10};
  r.params = {{"array_bytes", 1u << 30}, {"threads", 8}, {"formula", "a[i] = b[i] + s*c[i]"}};
  r.check = kCheckPassed;
  r.variants = nlohmann::json::array({{{"impl", "scalar"}, {"check", "passed"}}});
  return r;
}

void expect_same_stats(const Stats& a, const Stats& b) {
  EXPECT_EQ(a.median, b.median);
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.min, b.min);
  EXPECT_EQ(a.max, b.max);
  EXPECT_EQ(a.stddev, b.stddev);
  EXPECT_EQ(a.cv, b.cv);
  EXPECT_EQ(a.reps, b.reps);
}

TEST(ResultJson, RoundTripKeepsEveryField) {
  const Result r = sample_result();
  // Through text, as the store and `--json` do.
  const Result back = result_from_json(nlohmann::json::parse(to_json(r).dump()));
  EXPECT_EQ(back.suite, r.suite);
  EXPECT_EQ(back.device, r.device);
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.dtype, r.dtype);
  EXPECT_EQ(back.value, r.value);
  EXPECT_EQ(back.unit, r.unit);
  EXPECT_EQ(back.impl, r.impl);
  expect_same_stats(back.stats, r.stats);
  EXPECT_EQ(back.params, r.params);
  EXPECT_EQ(back.check, r.check);
  EXPECT_EQ(back.variants, r.variants);
}

TEST(ResultJson, StableFieldNames) {
  const auto j = to_json(sample_result());
  for (const char* key : {"suite", "device", "name", "dtype", "value", "unit", "impl", "stats", "params", "check"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"median", "mean", "min", "max", "stddev", "cv", "reps"})
    EXPECT_TRUE(j["stats"].contains(key)) << key;
  EXPECT_EQ(j["stats"]["reps"], 10);
}

TEST(ResultJson, NaNIsWrittenAsNullAndReadBackAsNaN) {
  Result r = sample_result();
  r.value = kNaN;
  r.stats = summarize(std::span<const double>{});  // all NaN, reps 0
  r.stats.median = std::numeric_limits<double>::infinity();  // not finite either
  const auto j = to_json(r);
  EXPECT_TRUE(j["value"].is_null());
  for (const char* key : {"median", "mean", "min", "max", "stddev", "cv"}) EXPECT_TRUE(j["stats"][key].is_null()) << key;
  // The text is valid JSON (no NaN token) and parses back.
  const std::string text = j.dump();
  EXPECT_EQ(text.find("NaN"), std::string::npos);
  const Result back = result_from_json(nlohmann::json::parse(text));
  EXPECT_TRUE(std::isnan(back.value));
  EXPECT_TRUE(std::isnan(back.stats.median));
  EXPECT_TRUE(std::isnan(back.stats.cv));
  EXPECT_EQ(back.stats.reps, 0u);
}

TEST(ResultJson, MissingDtypeIsNullBothWays) {
  Result r = sample_result();
  r.dtype.reset();
  const auto j = to_json(r);
  ASSERT_TRUE(j.contains("dtype"));
  EXPECT_TRUE(j["dtype"].is_null());
  EXPECT_FALSE(result_from_json(j).dtype.has_value());
}

TEST(ResultJson, VariantsAppearOnlyWhenThereAreSome) {
  Result r = sample_result();
  r.variants = nlohmann::json::array();
  const auto j = to_json(r);
  EXPECT_FALSE(j.contains("variants"));
  EXPECT_TRUE(result_from_json(j).variants.empty());
}

TEST(ResultJson, OptionalFieldsDefaultWhenAbsent) {
  const nlohmann::json j = {{"suite", "memory"}, {"device", "cpu"}, {"name", "read"}, {"value", 1.5},
                            {"unit", "GB/s"}};
  const Result r = result_from_json(j);
  EXPECT_EQ(r.value, 1.5);
  EXPECT_EQ(r.impl, "");
  EXPECT_EQ(r.stats.reps, 0u);
  EXPECT_TRUE(r.params.is_object());
}

TEST(ResultJson, MalformedRecordsThrowSpecgapError) {
  const nlohmann::json good = to_json(sample_result());
  std::vector<std::pair<std::string, nlohmann::json>> bad = {
      {"null", nullptr},
      {"array", nlohmann::json::array({1, 2})},
      {"string", "triad"},
      {"empty object", nlohmann::json::object()},
  };
  for (const char* required : {"suite", "device", "name", "value", "unit"}) {
    nlohmann::json j = good;
    j.erase(required);
    bad.push_back({std::string("without ") + required, j});
  }
  auto with = [&](const char* key, nlohmann::json v) {
    nlohmann::json j = good;
    j[key] = std::move(v);
    return j;
  };
  bad.push_back({"suite is a number", with("suite", 7)});
  bad.push_back({"unit is an object", with("unit", nlohmann::json::object())});
  bad.push_back({"impl is a number", with("impl", 3)});
  bad.push_back({"stats is a number", with("stats", 3)});
  bad.push_back({"check is a list", with("check", nlohmann::json::array())});
  nlohmann::json reps_text = good;
  reps_text["stats"]["reps"] = "five";
  bad.push_back({"reps is text", reps_text});

  for (const auto& [what, j] : bad) {
    try {
      result_from_json(j);
      ADD_FAILURE() << what << ": accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitFailure) << what;
      EXPECT_NE(std::string(e.what()).find("malformed result record"), std::string::npos) << what << ": " << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << what << ": threw something other than specgap::Error: " << e.what();
    }
  }
}

TEST(RunRecordJson, SchemaAndNullFinishedAt) {
  RunRecord run;
  run.run_id = "20260101T000000Z-abcdef";
  run.status = "running";
  run.results.push_back(sample_result());
  auto j = to_json(run);
  EXPECT_EQ(j["schema"], kRunSchema);
  EXPECT_EQ(j["schema"], "specgap.run/1");
  EXPECT_TRUE(j["finished_at"].is_null());
  EXPECT_FALSE(j.contains("error"));
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(result_from_json(j["results"][0]).value, sample_result().value);
  run.error = "disk full";
  run.finished_at = "2026-01-01T00:00:05Z";
  j = to_json(run);
  EXPECT_EQ(j["error"], "disk full");
  EXPECT_EQ(j["finished_at"], "2026-01-01T00:00:05Z");
}

}  // namespace
}  // namespace specgap
