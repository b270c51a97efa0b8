#pragma once
// Units: bandwidth in GB/s counts 1e9 bytes (STREAM's convention); sizes of memory in KiB/MiB/GiB.
#include <cstdint>
#include <optional>
#include <string>

namespace specgap {

inline constexpr double kBytesPerGB = 1e9;
inline constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

inline double gb_per_s(double bytes, double seconds) { return bytes / seconds / kBytesPerGB; }

// "48 KiB", "1.5 GiB": binary units for capacities.
std::string format_bytes(uint64_t bytes);

// Parses "64M", "1.5GiB", "4096", "16k" (binary multiples). Empty optional on anything else.
std::optional<uint64_t> parse_bytes(const std::string& text);

}  // namespace specgap
