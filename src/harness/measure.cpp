#include "harness/measure.h"

#include <fmt/format.h>

#include <cmath>

#include "core/clock.h"
#include "core/interrupt.h"
#include "core/stats.h"

namespace specgap::harness {
namespace {
nlohmann::json variant_json(const Variant& v) {
  nlohmann::json j = {{"impl", v.impl}};
  for (auto& [key, value] : v.about.items()) j[key] = value;
  j["check"] = v.check;
  j["stats"] = stats_to_json(summarize(v.values));
  j["samples"] = v.values;
  bool any_observed = false;
  for (auto& o : v.observed) any_observed |= !o.is_null();
  if (any_observed) j["observed"] = v.observed;
  return j;
}

Result named_result(const Plan& plan) {
  Result r;
  r.suite = plan.suite;
  r.device = plan.device;
  r.name = plan.name;
  r.unit = plan.unit;
  return r;
}
}  // namespace

double rate_gb_per_s(double bytes, int64_t ns) { return bytes / double(ns); }
double rate_tera_per_s(double ops, int64_t ns) { return ops / double(ns) * 1e-3; }

const Variant* Measured::best() const {
  const Variant* best = nullptr;
  for (auto& v : variants)
    if (v.check == kCheckPassed && !v.values.empty() && (!best || median(v.values) > median(best->values)))
      best = &v;
  return best;
}

Measured measure(backends::Kernels& kernels, const Plan& plan, RunSink& sink) {
  Measured m;
  for (auto& k : kernels) {
    throw_if_interrupted();
    Variant v{k->impl(), nlohmann::json::object(), "", {}, {}};
    sink.progress(fmt::format("{} {}: checking {} {}", plan.suite, plan.device, plan.name, v.impl));
    const std::string err = k->check();
    v.check = err.empty() ? kCheckPassed : "failed: " + err;
    v.about = k->about();
    m.variants.push_back(std::move(v));
  }
  // One timed repetition of kernel i, stored as it lands; false once the kernel has failed.
  const auto repetition = [&](size_t i, int rep) {
    Variant& v = m.variants[i];
    if (v.check != kCheckPassed || rep >= kernels[i]->max_reps()) return false;
    throw_if_interrupted();
    const backends::Repetition r = kernels[i]->run();
    if (!r.failure.empty()) {  // wrong while timed: no figure from it, not even the earlier ones
      v.check = "failed: " + r.failure;
      v.values.clear();
      v.observed.clear();
      return false;
    }
    const double work = kernels[i]->work();
    const double value = plan.rate(work, r.ns);
    v.values.push_back(value);
    v.observed.push_back(r.observed);
    nlohmann::json params = plan.sample_params;
    params["rep"] = rep;
    params["ns"] = r.ns;
    params["work"] = work;
    params["device"] = plan.device;
    if (!r.observed.is_null()) params["observed"] = r.observed;
    sink.sample({plan.suite, plan.name, v.impl, value, plan.unit, std::move(params)});
    return true;
  };
  m.timed.begin_ns = monotonic_ns();
  if (plan.interleave) {
    for (int rep = 0; rep < plan.reps; ++rep) {
      for (size_t i = 0; i < kernels.size(); ++i) repetition(i, rep);
      sink.progress(fmt::format("{} {}: {} rep {}/{}", plan.suite, plan.device, plan.name, rep + 1, plan.reps));
    }
  } else {
    for (size_t i = 0; i < kernels.size(); ++i) {
      if (m.variants[i].check != kCheckPassed) continue;
      throw_if_interrupted();
      kernels[i]->warm_up();
      for (int rep = 0; rep < plan.reps && repetition(i, rep); ++rep)
        sink.progress(fmt::format("{} {}: {} {} rep {}/{}", plan.suite, plan.device, plan.name, m.variants[i].impl,
                                  rep + 1, plan.reps));
    }
  }
  m.timed.end_ns = monotonic_ns();
  return m;
}

Result to_result(const Measured& m, const Plan& plan) {
  Result r = named_result(plan);
  for (auto& v : m.variants) r.variants.push_back(variant_json(v));
  if (const Variant* best = m.best()) {
    r.impl = best->impl;
    r.stats = summarize(best->values);
    r.value = r.stats.median;
  } else {
    r.value = std::nan("");
    r.check = m.variants.empty() ? "failed: no kernel to run"
                                 : "failed: no variant passed its check (" + m.variants.front().check + ")";
  }
  r.timed = {m.timed};
  return r;
}

const nlohmann::json* figure_variant(const Result& r) {
  for (auto& v : r.variants)
    if (v.value("impl", "") == r.impl && v.value("check", "") == kCheckPassed && v.contains("stats") &&
        v["stats"].value("median", std::nan("")) == r.value)
      return &v;
  return nullptr;
}

nlohmann::json kernel_description(const nlohmann::json& variant) {
  nlohmann::json about = nlohmann::json::object();
  for (auto& [key, value] : variant.items())
    if (key != "impl" && key != "check" && key != "stats" && key != "samples" && key != "observed") about[key] = value;
  return about;
}

void name_device(Result& r, const backends::DeviceInfo& d) {
  r.params["device_name"] = d.name;
  r.params["device_kind"] = d.kind;
}

Result unsupported_result(const Plan& plan, const std::string& why) {
  Result r = named_result(plan);
  r.value = std::nan("");
  r.check = why.rfind("unsupported", 0) == 0 ? why : "unsupported: " + why;
  return r;
}

}  // namespace specgap::harness
