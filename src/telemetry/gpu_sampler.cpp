// Reads one AMD or Intel GPU's sysfs files each tick (telemetry/drm_gpu.h). A file that is missing
// or does not hold a number this tick (a card gone, a driver that answers with an error) is skipped.
#include <sstream>

#include "telemetry/drm_gpu.h"
#include "telemetry/sysfs.h"

namespace specgap::telemetry {
namespace {

// The clock of the level marked '*' in a DPM table ("0: 500Mhz\n1: 1800Mhz *\n").
std::optional<double> current_level_mhz(const std::string& path) {
  const auto text = read_small(path);
  if (!text) return std::nullopt;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(':');
    if (line.find('*') == std::string::npos || colon == std::string::npos) continue;
    char* end = nullptr;
    const double mhz = std::strtod(line.c_str() + colon + 1, &end);
    if (end != line.c_str() + colon + 1) return mhz;
  }
  return std::nullopt;
}

class GpuSampler : public Sampler {
 public:
  GpuSampler(GpuNodes nodes, std::function<int64_t()> now_ns)
      : nodes_(std::move(nodes)), now_ns_(std::move(now_ns)), last_(nodes_.energies.size()) {}
  std::string name() const override { return nodes_.name; }
  void read(Readings& out) override {
    for (auto& v : nodes_.values)
      if (auto x = read_number(v.path)) {
        out[v.stem + "_" + v.unit] = *x * v.scale;
        if (v.limit) out[v.stem + "_limit_" + v.unit] = *v.limit;
      }
    for (auto& l : nodes_.levels)
      if (auto mhz = current_level_mhz(l.path)) out[l.channel] = *mhz;
    const int64_t now = now_ns_();
    for (size_t i = 0; i < nodes_.energies.size(); ++i) {
      const auto uj = read_u64(nodes_.energies[i].path);
      if (!uj) continue;
      auto& last = last_[i];
      // xe and i915 widen the hardware's 32-bit count into 64 bits of microjoules, so the file wraps
      // only modulo 2^64, where unsigned subtraction still gives the energy. A count that went back
      // (a driver reload restarts it) would read as nearly 2^64: no reading this tick.
      const uint64_t delta = *uj - last.uj;
      if (last.valid && now > last.ns && delta <= UINT64_MAX / 2)
        out[nodes_.energies[i].stem + "_w"] = double(delta) / double(now - last.ns) * 1e3;  // uJ/ns to W
      last = {*uj, now, true};
    }
  }

 private:
  struct Last {
    uint64_t uj = 0;
    int64_t ns = 0;
    bool valid = false;
  };
  GpuNodes nodes_;
  std::function<int64_t()> now_ns_;
  std::vector<Last> last_;
};

}  // namespace

std::unique_ptr<Sampler> gpu_sampler(GpuNodes nodes, std::function<int64_t()> now_ns) {
  return std::make_unique<GpuSampler>(std::move(nodes), std::move(now_ns));
}

}  // namespace specgap::telemetry
