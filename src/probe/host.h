#pragma once
// Host facts read from /proc, /sys and uname(2). Each reader has a pure twin taking the text, so
// tests feed it fixtures; a missing file reads as unknown, never as an error.
#include <optional>
#include <string>

#include "probe/machine.h"

namespace specgap {

// The whole file, or empty optional when it cannot be opened (absent sysfs node, no permission).
std::optional<std::string> read_text_file(const std::string& path);

struct Frequency {
  std::optional<double> max_mhz;
  std::optional<double> nominal_mhz;
  std::string source = "unknown";
};

// `cpufreq_max_khz` is the text of cpufreq/cpuinfo_max_freq (kHz) when that file exists. Without it
// the "cpu MHz" of processor 0 in /proc/cpuinfo is used: on a VM that is the host's nominal clock as
// the hypervisor reports it, not a measurement, and the source says so.
Frequency frequency_from_sources(const std::optional<std::string>& cpufreq_max_khz,
                                 const std::string& cpuinfo_text);
// Reads /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq, then applies the rule above.
Frequency read_frequency(const std::string& cpuinfo_text);

// MemTotal and MemAvailable (kB in the file) as bytes; numa_nodes is left 0 (hwloc counts them).
// hwloc's own memory total is not used: on some VMs it disagrees with the kernel's.
MemoryInfo memory_from_meminfo(const std::string& meminfo_text);

// uname -r and the host name; empty strings if uname fails.
OsInfo read_os_info();
// uname -m: x86_64, aarch64, ...
std::string read_machine_arch();

}  // namespace specgap
