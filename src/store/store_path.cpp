// Where the results database lives when --db is not given.
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "core/error.h"
#include "store/store.h"

namespace specgap {
namespace {

// An empty variable counts as unset, as the XDG Base Directory spec asks.
std::optional<std::filesystem::path> env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::filesystem::path(value);
}

}  // namespace

std::string Store::default_path() {
  if (auto db = env_path("SPECGAP_DB")) return db->string();
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (auto xdg = env_path("XDG_DATA_HOME"); xdg && xdg->is_absolute()) {
    return (*xdg / "specgap" / "results.db").string();
  }
  if (auto home = env_path("HOME")) {
    return (*home / ".local" / "share" / "specgap" / "results.db").string();
  }
  throw Error(
      "cannot place the results database: neither SPECGAP_DB, XDG_DATA_HOME nor HOME is set "
      "(set --db or SPECGAP_DB)");
}

}  // namespace specgap
