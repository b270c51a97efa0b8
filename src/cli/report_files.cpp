#include "cli/report_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "analysis/findings.h"
#include "core/error.h"
#include "report/html_report.h"

namespace specgap::cli {
namespace fs = std::filesystem;

std::string default_report_path(const std::string& db_path, const std::string& run_id) {
  return (fs::path(db_path).parent_path() / "reports" / (run_id + ".html")).string();
}

void write_file_atomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw Error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  const auto fail = [&](const std::string& what, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: {} ({})", path, what, std::strerror(err)));
  };
  // mkstemp makes the file private; a report is for reading, like any file the user writes.
  if (::fchmod(fd, 0644) != 0) fail("chmod failed", errno);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t w = ::write(fd, content.data() + done, content.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail(fmt::format("write failed after {} of {} bytes", done, content.size()), w < 0 ? errno : EIO);
    done += size_t(w);
  }
  if (::fsync(fd) != 0) fail("fsync failed", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: close failed ({})", path, std::strerror(err)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write {}: rename failed ({})", path, std::strerror(err)));
  }
}

void check_report_destination(const std::string& path_or_empty) {
  if (path_or_empty.empty()) return;
  std::error_code ec;
  const fs::path p(path_or_empty);
  const fs::path folder = fs::is_directory(p, ec) ? p : (p.has_parent_path() ? p.parent_path() : fs::path("."));
  if (!fs::is_directory(folder, ec))
    throw UsageError(fmt::format("cannot write the report to {}: no folder {}", path_or_empty, folder.string()));
  if (::access(folder.c_str(), W_OK) != 0)
    throw UsageError(fmt::format("cannot write the report to {}: {} is not writable", path_or_empty, folder.string()));
}

std::string write_html_report(const RunRecord& run, const std::vector<catalog::System>& catalog,
                              const std::string& path_or_empty, const std::string& db_path) {
  std::string path = path_or_empty;
  std::error_code ec;
  if (path.empty()) {
    path = default_report_path(db_path, run.run_id);
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) throw Error(fmt::format("cannot create the reports folder {}: {}", fs::path(path).parent_path().string(), ec.message()));
  } else if (fs::is_directory(path, ec)) {
    path = (fs::path(path) / (run.run_id + ".html")).string();
  }
  write_file_atomically(path, report::render_html(run, analysis::audit_findings(run, catalog)));
  return path;
}

}  // namespace specgap::cli
