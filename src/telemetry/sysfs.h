#pragma once
// Reading sysfs and procfs attributes for the samplers: each read is one small file that may vanish
// at any tick (a hot-unplugged device, a driver reload), so every read here answers "nothing" instead
// of throwing.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace specgap::telemetry {

// The whole attribute, with one read(2): cheaper than a stream at 10 Hz, and a sysfs attribute is
// produced whole by one read.
std::optional<std::string> read_small(const std::string& path);

// The number the file starts with; nullopt when it is missing or does not start with one.
std::optional<double> read_number(const std::string& path);

// The unsigned integer the file starts with, exact over all 64 bits (energy counters near their wrap
// are past a double's 53).
std::optional<uint64_t> read_u64(const std::string& path);

// The first line of the file, "" when it is missing.
std::string read_word(const std::string& path);

// A channel name part: lower case, spaces and punctuation as '_'.
std::string channel_part(std::string s);

// Entries of `dir` whose names start with `prefix`, sorted; empty when the folder is absent.
std::vector<std::filesystem::path> entries(const std::filesystem::path& dir, const std::string& prefix);

bool readable(const std::filesystem::path& p);

}  // namespace specgap::telemetry
