#include "store/location.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "store/store_errors.h"

namespace specgap::store {

void prepare_location(const std::string& db_path, uint64_t min_free_bytes) {
  namespace fs = std::filesystem;
  fs::path folder = fs::path(db_path).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw open_error(db_path, ec.message());
  // create_directories accepts an existing non-folder without complaint on some library versions.
  if (!fs::is_directory(folder, ec)) throw open_error(db_path, std::strerror(ENOTDIR));

  struct statvfs fs_info {};
  if (statvfs(folder.c_str(), &fs_info) != 0) throw open_error(db_path, std::strerror(errno));
  // f_bavail, not f_bfree: blocks reserved for root do not count for an ordinary user.
  const uint64_t free_bytes = static_cast<uint64_t>(fs_info.f_bavail) * fs_info.f_frsize;
  if (free_bytes < min_free_bytes) {
    throw open_error(db_path, fmt::format("only {} free on its file system, {} needed",
                                          format_bytes(free_bytes), format_bytes(min_free_bytes)));
  }
}

}  // namespace specgap::store
