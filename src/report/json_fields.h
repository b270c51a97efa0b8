#pragma once
// Reading the findings object (analysis/findings.h) where a key may be absent: an absent figure is an
// absent key, never a zero, so every reader asks and draws nothing when the answer is no.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace specgap::report {

inline std::optional<double> number_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

inline std::string text_at(const nlohmann::json& j, const char* key, const std::string& otherwise = "") {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return otherwise;
  return j[key].get<std::string>();
}

inline bool flag_at(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_boolean() && j[key].get<bool>();
}

// The array or object under `key`, or an empty one.
inline nlohmann::json array_at(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_array() ? j[key] : nlohmann::json::array();
}
inline nlohmann::json object_at(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_object() ? j[key] : nlohmann::json::object();
}

}  // namespace specgap::report
