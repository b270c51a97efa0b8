#pragma once
// The catalog a command reads: the shipped folder, then the user's --catalog folders in order.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace specgap::cli {

void add_catalog_option(CLI::App* sub, std::vector<std::string>& dirs);
std::vector<catalog::System> load_catalog_with(const std::vector<std::string>& extra_dirs);
// The system with this id; a UsageError naming `specgap catalog` when there is none.
const catalog::System& find_system(const std::vector<catalog::System>& systems, const std::string& id);

}  // namespace specgap::cli
