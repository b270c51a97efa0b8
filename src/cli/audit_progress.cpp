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
  stage_ = name;
  progress("starting");
}

void AuditProgress::skip(const std::string& why) { skipped_.push_back(stage_ + ": " + why); }

}  // namespace specgap::cli
