#include "cli/audit_progress.h"

#include <fmt/format.h>

#include <cmath>

namespace specgap::cli {

AuditProgress::AuditProgress(RunSink& inner, double budget_seconds, int stages)
    : inner_(inner), budget_(budget_seconds), stages_(stages) {}

double AuditProgress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}
double AuditProgress::left() const { return budget_ - elapsed(); }

void AuditProgress::progress(const std::string& line) {
  const double l = left();
  const std::string time = l >= 0 ? fmt::format("{}:{:02d} left", static_cast<int>(l) / 60, static_cast<int>(l) % 60)
                                  : fmt::format("{:.0f} s over budget", -l);
  inner_.progress(fmt::format("[audit {}/{} {} | {}] {}", index_, stages_, stage_, time, line));
}

void AuditProgress::stage(const std::string& name) {
  ++index_;
  began_.push_back({name, elapsed()});
  stage_ = name;
  progress("starting");
}

std::string AuditProgress::timings() const {
  auto clock = [](double s) { return fmt::format("{}:{:02d}", static_cast<int>(s) / 60, static_cast<int>(s) % 60); };
  const double now = elapsed();
  std::string out;
  for (size_t i = 0; i < began_.size(); ++i) {
    const double end = i + 1 < began_.size() ? began_[i + 1].second : now;
    out += fmt::format("{}{} {:.0f} s", out.empty() ? "" : ", ", began_[i].first, end - began_[i].second);
  }
  return out + fmt::format("; {} in all, budget {}", clock(now), clock(budget_));
}

void AuditProgress::skip(const std::string& why) { skipped_.push_back(stage_ + ": " + why); }

}  // namespace specgap::cli
