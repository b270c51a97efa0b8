// The Linux telemetry sources, each reading sysfs or procfs under a root folder so that tests run
// them on captured trees of real machines. Nodes are found once, at construction; a node that later
// fails to read is skipped for that tick.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/clock.h"
#include "telemetry/rapl.h"
#include "telemetry/sampler.h"
#include "telemetry/sysfs.h"

namespace specgap::telemetry {
namespace fs = std::filesystem;
namespace {

// --- cpufreq: min, mean and max of the cores' current clocks (per core would grow the store by
// kilobytes a second on a big server; the spread across cores is what a throttle shows).
class CpufreqSampler : public Sampler {
 public:
  explicit CpufreqSampler(std::vector<std::string> nodes) : nodes_(std::move(nodes)) {}
  std::string name() const override { return "cpufreq"; }
  void read(Readings& out) override {
    double lo = 1e300, hi = 0, sum = 0;
    int n = 0;
    for (auto& node : nodes_)
      if (auto khz = read_number(node)) {
        const double mhz = *khz / 1000;
        lo = std::min(lo, mhz), hi = std::max(hi, mhz), sum += mhz, ++n;
      }
    if (n == 0) return;
    out["cpu.freq_min_mhz"] = lo;
    out["cpu.freq_mean_mhz"] = sum / n;
    out["cpu.freq_max_mhz"] = hi;
  }

 private:
  std::vector<std::string> nodes_;
};

// A temperature node and the limit it is held against (its crit or max, or a zone's first
// passive/hot/critical trip point), both in millidegrees.
struct TempNode {
  std::string channel, path;
  std::optional<double> limit_c;
};

class TemperatureSampler : public Sampler {
 public:
  TemperatureSampler(std::string name, std::vector<TempNode> nodes) : name_(std::move(name)), nodes_(std::move(nodes)) {}
  std::string name() const override { return name_; }
  void read(Readings& out) override {
    for (auto& n : nodes_)
      if (auto milli = read_number(n.path)) {
        out[n.channel + "_c"] = *milli / 1000;
        if (n.limit_c) out[n.channel + "_limit_c"] = *n.limit_c;
      }
  }

 private:
  std::string name_;
  std::vector<TempNode> nodes_;
};

// hwmon power inputs (microwatts), where a driver exposes them (amdgpu, some server BMC bridges).
struct PowerNode {
  std::string channel, path;
};

class HwmonPowerSampler : public Sampler {
 public:
  explicit HwmonPowerSampler(std::vector<PowerNode> nodes) : nodes_(std::move(nodes)) {}
  std::string name() const override { return "hwmon-power"; }
  void read(Readings& out) override {
    for (auto& n : nodes_)
      if (auto uw = read_number(n.path)) out[n.channel + "_w"] = *uw / 1e6;
  }

 private:
  std::vector<PowerNode> nodes_;
};

SamplerSet hwmon(const fs::path& root) {
  SamplerSet set;
  const fs::path dir = root / "sys/class/hwmon";
  std::vector<TempNode> temps;
  std::vector<PowerNode> powers;
  std::set<std::string> seen;
  for (auto& mon : entries(dir, "hwmon")) {
    // A GPU's own sensors are drm_samplers' gpuN channels; read here too, its power would count twice.
    const std::string name = read_word(mon / "name");
    if (name == "amdgpu" || name == "xe" || name == "i915") continue;
    std::string chip = channel_part(read_word(mon / "name"));
    for (int i = 2; !seen.insert(chip).second; ++i) chip = channel_part(read_word(mon / "name")) + std::to_string(i);
    for (auto& input : entries(mon, "temp")) {
      const std::string file = input.filename().string();
      if (file.size() < 7 || file.compare(file.size() - 6, 6, "_input") != 0) continue;
      const std::string stem = file.substr(0, file.size() - 6);  // temp1
      const std::string label = read_word(mon / (stem + "_label"));
      TempNode n{"hwmon." + chip + "." + channel_part(label.empty() ? stem : label), input.string(), std::nullopt};
      for (const char* limit : {"_crit", "_max"})
        if (auto v = read_number((mon / (stem + limit)).string()); v && *v > 0) {
          n.limit_c = *v / 1000;
          break;
        }
      temps.push_back(std::move(n));
    }
    for (auto& input : entries(mon, "power")) {
      const std::string file = input.filename().string();
      if (file.size() > 6 && file.compare(file.size() - 6, 6, "_input") == 0)
        powers.push_back({"hwmon." + chip + "." + file.substr(0, file.size() - 6), input.string()});
    }
  }
  if (temps.empty()) set.unavailable.push_back(fmt::format("hwmon temperatures: no {}/hwmon*/temp*_input", dir.string()));
  else set.samplers.push_back(std::make_unique<TemperatureSampler>("hwmon", std::move(temps)));
  if (!powers.empty()) set.samplers.push_back(std::make_unique<HwmonPowerSampler>(std::move(powers)));
  return set;
}

SamplerSet thermal_zones(const fs::path& root) {
  SamplerSet set;
  const fs::path dir = root / "sys/class/thermal";
  std::vector<TempNode> temps;
  std::set<std::string> seen;
  for (auto& zone : entries(dir, "thermal_zone")) {
    if (!readable(zone / "temp")) continue;
    std::string type = channel_part(read_word(zone / "type"));
    for (int i = 2; !seen.insert(type).second; ++i) type = channel_part(read_word(zone / "type")) + std::to_string(i);
    TempNode n{"thermal." + type, (zone / "temp").string(), std::nullopt};
    // The lowest trip at which the kernel starts to act: passive cooling, hot, or critical.
    for (auto& trip : entries(zone, "trip_point_")) {
      const std::string file = trip.filename().string();
      if (file.size() < 6 || file.compare(file.size() - 5, 5, "_type") != 0) continue;
      const std::string kind = read_word(trip);
      if (kind != "passive" && kind != "hot" && kind != "critical") continue;
      const auto t = read_number((zone / (file.substr(0, file.size() - 5) + "_temp")).string());
      if (t && *t > 0 && (!n.limit_c || *t / 1000 < *n.limit_c)) n.limit_c = *t / 1000;
    }
    temps.push_back(std::move(n));
  }
  if (temps.empty()) set.unavailable.push_back(fmt::format("thermal zones: no {}/thermal_zone*/temp", dir.string()));
  else set.samplers.push_back(std::make_unique<TemperatureSampler>("thermal", std::move(temps)));
  return set;
}

// --- RAPL through powercap: energy counters turned into mean watts between two ticks.
struct RaplZone {
  std::string channel, energy_path;
  uint64_t range_uj = 0;
  std::optional<double> limit_w;  // the long-term power limit (constraint 0), where set
  std::optional<uint64_t> last_uj;
  int64_t last_ns = 0;
};

class RaplSampler : public Sampler {
 public:
  explicit RaplSampler(std::vector<RaplZone> zones) : zones_(std::move(zones)) {}
  std::string name() const override { return "rapl"; }
  void read(Readings& out) override {
    const int64_t now = monotonic_ns();
    for (auto& z : zones_) {
      const auto v = read_number(z.energy_path);
      if (!v) continue;
      const uint64_t uj = uint64_t(*v);
      if (z.last_uj && now > z.last_ns)
        if (auto d = energy_delta_uj(*z.last_uj, uj, z.range_uj)) out[z.channel + "_w"] = double(*d) / (now - z.last_ns) * 1e3;
      z.last_uj = uj;
      z.last_ns = now;
      if (z.limit_w) out[z.channel + "_limit_w"] = *z.limit_w;
    }
  }

 private:
  std::vector<RaplZone> zones_;
};

SamplerSet rapl(const fs::path& root) {
  SamplerSet set;
  const fs::path dir = root / "sys/class/powercap";
  std::vector<RaplZone> zones;
  bool unreadable = false;
  for (auto& zone : entries(dir, "intel-rapl:")) {
    if (!fs::exists(zone / "energy_uj")) continue;
    if (!readable(zone / "energy_uj")) {
      unreadable = true;
      continue;
    }
    // intel-rapl:0 is package-0; intel-rapl:0:1 is a part of it (core, uncore, dram), named after it.
    const std::string id = zone.filename().string().substr(11);
    std::string channel = "rapl." + channel_part(read_word(zone / "name"));
    if (const auto colon = id.find(':'); colon != std::string::npos)
      channel = "rapl." + channel_part(read_word(dir / ("intel-rapl:" + id.substr(0, colon)) / "name")) + "." +
                channel_part(read_word(zone / "name"));
    std::optional<double> limit;
    if (auto uw = read_number((zone / "constraint_0_power_limit_uw").string()); uw && *uw > 0) limit = *uw / 1e6;
    zones.push_back({channel, (zone / "energy_uj").string(),
                     uint64_t(read_number((zone / "max_energy_range_uj").string()).value_or(0)), limit, std::nullopt, 0});
  }
  if (!zones.empty()) set.samplers.push_back(std::make_unique<RaplSampler>(std::move(zones)));
  else if (unreadable)
    set.unavailable.push_back(fmt::format("CPU power: {}/intel-rapl:*/energy_uj is readable by root only", dir.string()));
  else set.unavailable.push_back(fmt::format("CPU power: no RAPL zones in {}", dir.string()));
  return set;
}

// --- /proc/stat: the share of CPU time that was busy, and stolen by the hypervisor, between ticks.
class ProcStatSampler : public Sampler {
 public:
  explicit ProcStatSampler(std::string path) : path_(std::move(path)) {}
  std::string name() const override { return "procstat"; }
  void read(Readings& out) override {
    const auto text = read_small(path_);
    if (!text || text->rfind("cpu ", 0) != 0) return;
    std::istringstream line(text->substr(4, text->find('\n')));
    uint64_t v[8] = {};
    for (auto& x : v) line >> x;  // user nice system idle iowait irq softirq steal
    uint64_t total = 0;
    for (auto x : v) total += x;
    const uint64_t idle = v[3] + v[4], steal = v[7];
    if (last_total_ && total > last_total_) {
      const double dt = double(total - last_total_);
      out["cpu.util_pct"] = 100.0 * (1 - double(idle - last_idle_) / dt);
      out["cpu.steal_pct"] = 100.0 * double(steal - last_steal_) / dt;
    }
    last_total_ = total, last_idle_ = idle, last_steal_ = steal;
  }

 private:
  std::string path_;
  uint64_t last_total_ = 0, last_idle_ = 0, last_steal_ = 0;
};

class MeminfoSampler : public Sampler {
 public:
  explicit MeminfoSampler(std::string path) : path_(std::move(path)) {}
  std::string name() const override { return "meminfo"; }
  void read(Readings& out) override {
    const auto text = read_small(path_);
    if (!text) return;
    auto field = [&](const char* key) -> std::optional<double> {
      const auto at = text->find(key);
      if (at == std::string::npos) return std::nullopt;
      return std::strtod(text->c_str() + at + std::string(key).size(), nullptr) * 1024;
    };
    const auto total = field("MemTotal:"), available = field("MemAvailable:");
    if (total && available) out["mem.used_bytes"] = *total - *available;
  }

 private:
  std::string path_;
};

}  // namespace

void SamplerSet::add(SamplerSet&& other) {
  for (auto& s : other.samplers) samplers.push_back(std::move(s));
  for (auto& u : other.unavailable) unavailable.push_back(std::move(u));
  other.gpu_pci.resize(size_t(other.gpus));
  gpu_pci.resize(size_t(gpus));
  gpu_pci.insert(gpu_pci.end(), other.gpu_pci.begin(), other.gpu_pci.end());
  gpus += other.gpus;
}

std::vector<std::string> SamplerSet::names() const {
  std::vector<std::string> out;
  for (auto& s : samplers) out.push_back(s->name());
  return out;
}

SamplerSet linux_samplers(const std::string& root_text) {
  const fs::path root = root_text;
  SamplerSet set;
  std::vector<std::string> freq;
  for (auto& cpu : entries(root / "sys/devices/system/cpu", "cpu")) {
    const std::string n = cpu.filename().string().substr(3);
    if (n.empty() || !std::all_of(n.begin(), n.end(), ::isdigit)) continue;
    if (readable(cpu / "cpufreq/scaling_cur_freq")) freq.push_back((cpu / "cpufreq/scaling_cur_freq").string());
  }
  if (freq.empty())
    set.unavailable.push_back(fmt::format("CPU clocks: no {}/cpu*/cpufreq/scaling_cur_freq",
                                          (root / "sys/devices/system/cpu").string()));
  else set.samplers.push_back(std::make_unique<CpufreqSampler>(std::move(freq)));
  set.add(hwmon(root));
  set.add(thermal_zones(root));
  set.add(rapl(root));
  if (readable(root / "proc/stat")) set.samplers.push_back(std::make_unique<ProcStatSampler>((root / "proc/stat").string()));
  else set.unavailable.push_back(fmt::format("CPU utilisation: no {}", (root / "proc/stat").string()));
  if (readable(root / "proc/meminfo")) set.samplers.push_back(std::make_unique<MeminfoSampler>((root / "proc/meminfo").string()));
  else set.unavailable.push_back(fmt::format("memory in use: no {}", (root / "proc/meminfo").string()));
  return set;
}

SamplerSet machine_samplers() {
  SamplerSet set = linux_samplers("/");
  set.add(msr_samplers("/"));
  const char* lib = std::getenv("SPECGAP_NVML");
  set.add(nvml_samplers(lib && *lib ? lib : "libnvidia-ml.so.1"));
  set.add(drm_samplers("/", set.gpus));
  return set;
}

}  // namespace specgap::telemetry
