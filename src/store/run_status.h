#pragma once
// The values of runs.status (RunSummary::status, RunRecord::status).
namespace specgap::store {

inline constexpr const char* kStatusRunning = "running";
inline constexpr const char* kStatusComplete = "complete";
inline constexpr const char* kStatusInterrupted = "interrupted";
inline constexpr const char* kStatusFailed = "failed";

}  // namespace specgap::store
