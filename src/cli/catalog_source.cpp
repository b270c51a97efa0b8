#include "cli/catalog_source.h"

#include "core/error.h"

namespace specgap::cli {

void add_catalog_option(CLI::App* sub, std::vector<std::string>& dirs) {
  sub->add_option("--catalog", dirs, "a folder of more systems (*.toml), after the shipped ones; repeatable");
}

std::vector<catalog::System> load_catalog_with(const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> dirs = {catalog::default_catalog_dir()};
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  return catalog::load_catalog(dirs);
}

const catalog::System& find_system(const std::vector<catalog::System>& systems, const std::string& id) {
  for (const auto& s : systems)
    if (s.id == id) return s;
  throw UsageError("no system '" + id + "' in the catalog (see specgap catalog)");
}

}  // namespace specgap::cli
