#pragma once
// What this machine is: a plain struct, serialised into every result. A missing source (no cpufreq,
// hwmon or thermal node in a VM) reads as unknown, never as an error.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace specgap {

struct CacheLevel {
  int level = 0;             // 1, 2, 3, ...
  std::string type;          // data, instruction, unified
  uint64_t size_bytes = 0;   // one instance
  int instances = 0;         // how many of them in the machine
  int pus_per_instance = 0;  // logical CPUs sharing one instance
};

// The identity of a CPU as read from /proc/cpuinfo or CPUID. Pure data, so fixtures can test it.
struct CpuIdentity {
  std::string arch;        // x86_64, aarch64
  std::string vendor;      // AuthenticAMD, GenuineIntel, ARM (0x41), Apple (0x61), ...
  std::string model_name;  // brand string
  int family = -1;         // x86: display family; Arm: -1
  int model = -1;          // x86: display model; Arm: the MIDR part number
  int stepping = -1;
  std::vector<std::string> isa;  // the features that matter to specgap, present on this CPU
  bool hypervisor_flag = false;  // "hypervisor" in cpuinfo flags / CPUID.1:ECX[31]
};

// A microarchitecture row (shared/reference/cpu-uarch.md section 6).
struct Uarch {
  std::string id;    // zen5-512, spr, v2, ... or "unknown"; "emulated" under a user-mode emulator
  std::string name;  // "AMD Zen 5 (512-bit datapath)"
  int sve_bits = 0;  // the core's SVE vector length as the reference gives it; 0: no SVE or not known
};

// One kind of core and how many of it the machine has: the only kind on most chips, two on GB10
// (10 Cortex-X925 and 10 Cortex-A725), each with its own pipes and clock.
struct CoreKind {
  Uarch uarch;
  std::string vendor;     // the MIDR implementer's name (Arm), the vendor string (x86)
  int model = -1;         // Arm: the MIDR part; x86: the display model
  int cores = 0;          // physical cores of this kind
  std::vector<int> cpus;  // their logical CPUs (OS numbers), ascending
  std::optional<double> freq_max_mhz;  // cpufreq maximum of the kind's first CPU, when present
};

struct CpuInfo {
  CpuIdentity identity;
  Uarch uarch;
  int sockets = 0;
  int cores = 0;    // physical cores
  int threads = 0;  // logical CPUs (PUs)
  bool smt = false;
  std::vector<int> core_pus;  // one OS CPU index per physical core, in pinning order
  std::vector<int> pu_core;   // the physical core (index into core_pus) of each OS CPU index; -1: none
  std::vector<CacheLevel> caches;
  std::optional<double> freq_max_mhz;      // cpufreq cpuinfo_max_freq, when present
  std::optional<double> freq_nominal_mhz;  // "cpu MHz" in /proc/cpuinfo or similar
  std::string freq_source = "unknown";    // where the figures above came from
  std::string hypervisor = "unknown";     // none, KVM, Microsoft Hv, VMware, ...
  // The kinds of core, the one threads are pinned to first leading (core_pus follows this order).
  std::vector<CoreKind> core_kinds;
  int sve_vector_bits = 0;        // 0: no SVE
  std::string sve_vector_source;  // how the length was found; "" without SVE
  // "none", or the user-mode emulator this process runs under (core/emulation.h): then the identity is
  // the emulated CPU's, and no figure measured here is a CPU's.
  std::string emulator = "none";
};

struct MemoryInfo {
  uint64_t total_bytes = 0;
  uint64_t available_bytes = 0;
  int numa_nodes = 0;
};

struct GpuInfo {
  int index = 0;
  std::string name;
  std::string uuid;
  uint64_t memory_bytes = 0;
  std::string driver;
  std::string pci_bus_id;
};

// A device as its Vulkan driver describes it: a GPU, an APU's integrated GPU, or a software
// rasteriser (Mesa's lavapipe), which is never measured as hardware.
struct VulkanDeviceInfo {
  int index = 0;              // the order vkEnumeratePhysicalDevices gives
  std::string name;
  std::string vendor;         // from the PCI vendor id, or "unknown (0x....)"
  uint32_t vendor_id = 0, device_id = 0;
  std::string kind;           // gpu (discrete or virtual), apu (integrated), software (a CPU device)
  std::string api_version;    // "1.3.230"
  std::string driver;         // driver name and info (Vulkan 1.2), else the driver version number
  uint64_t device_local_bytes = 0;  // the largest device-local heap
  bool timestamps = false;          // a compute queue can write timestamps
  double timestamp_period_ns = 0;   // nanoseconds per timestamp tick
  uint32_t subgroup_size = 0;       // 0: not reported (Vulkan 1.0 device)
};

struct OsInfo {
  std::string kernel;    // uname -r
  std::string hostname;
};

struct Machine {
  CpuInfo cpu;
  MemoryInfo memory;
  std::vector<GpuInfo> gpus;
  std::string gpu_note;  // one line when no GPU could be listed, e.g. "NVML not found: no NVIDIA driver"
  std::vector<VulkanDeviceInfo> vulkan;  // every device the Vulkan loader lists
  std::string vulkan_note;               // why the list is empty, "" when the loader answered
  OsInfo os;
};

// Reads this machine. Never throws for a missing source.
Machine probe_machine();

// Parses /proc/cpuinfo text (x86 or Arm). Unknown fields stay at their defaults.
CpuIdentity identity_from_cpuinfo(const std::string& cpuinfo_text, const std::string& arch);

// Raw CPUID registers, as captured by `specgap probe --cpuid-dump` (leaf, subleaf -> eax..edx).
struct CpuidLeaf {
  uint32_t leaf = 0, subleaf = 0;
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};
CpuIdentity identity_from_cpuid(const std::vector<CpuidLeaf>& leaves);

// The microarchitecture of an identity; {"unknown", "unknown"} when no table row matches.
Uarch lookup_uarch(const CpuIdentity& id);

// Total bytes of the last-level cache over all its instances (STREAM's sizing rule); 0 if unknown.
uint64_t last_level_cache_bytes(const CpuInfo& cpu);

// The cache levels of a stored machine record's "cpu": {"caches": [...]} (to_json's form), so that a
// stored run is sized by the same rules as a live one. Entries whose size is unknown are skipped; an
// unknown instance count is taken as one.
std::vector<CacheLevel> caches_from_json(const nlohmann::json& caches);
// Size of one instance of a cache level's data or unified cache; 0 if unknown.
uint64_t cache_bytes(const CpuInfo& cpu, int level);

nlohmann::json to_json(const Machine& m);

}  // namespace specgap
