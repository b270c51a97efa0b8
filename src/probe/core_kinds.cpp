// core_kinds_from_cpuinfo and order_core_kinds: a hybrid chip's kinds, counted and pinned kind by kind.
#include "probe/core_kinds.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "probe/cpuinfo.h"
#include "probe/peak_rates.h"

namespace specgap {
namespace {

// The text of each "processor" block (the lines from one "processor : N" line to the next).
std::vector<std::string> processor_blocks(const std::string& text) {
  std::vector<std::string> blocks;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    const bool starts_block = colon != std::string::npos && line.compare(0, 9, "processor") == 0 &&
                              line.find_first_not_of(" \t", 9) == colon;
    if (starts_block) blocks.emplace_back();
    if (!blocks.empty()) blocks.back() += line + "\n";
  }
  return blocks;
}

std::optional<int> processor_number(const std::string& block) {
  const auto v = cpuinfo_value(block, "processor");
  int n = -1;
  if (!v || std::from_chars(v->data(), v->data() + v->size(), n).ec != std::errc() || n < 0) return std::nullopt;
  return n;
}

// Rate used to order kinds: NEON-width fp32 FMA (every Arm row has one); -1 without a row.
double fp32_rate(const CoreKind& k) {
  const auto r = peak_rate(k.uarch.id, Dtype::fp32, 128);
  return r ? r->ops_per_cycle : -1;
}

bool is_placed(const CpuInfo& cpu, int pu) {
  return pu >= 0 && size_t(pu) < cpu.pu_core.size() && cpu.pu_core[size_t(pu)] >= 0;
}

// Physical cores among the kind's CPUs; a CPU the topology does not place counts as one core.
int count_cores(const CpuInfo& cpu, const CoreKind& kind) {
  std::set<int> cores;
  int unplaced = 0;
  for (int pu : kind.cpus) {
    if (is_placed(cpu, pu))
      cores.insert(cpu.pu_core[size_t(pu)]);
    else
      ++unplaced;
  }
  return int(cores.size()) + unplaced;
}

// The only kind of a chip that names none per CPU: the identity's, on every placed CPU.
CoreKind whole_chip_kind(const CpuInfo& cpu) {
  CoreKind k;
  k.uarch = cpu.uarch;
  k.vendor = cpu.identity.vendor;
  k.model = cpu.identity.model;
  k.cores = cpu.cores;
  for (int pu = 0; pu < int(cpu.pu_core.size()); ++pu)
    if (is_placed(cpu, pu)) k.cpus.push_back(pu);
  k.freq_max_mhz = cpu.freq_max_mhz;
  return k;
}

// core_pus reordered kind by kind (hwloc's order kept within a kind), pu_core renumbered to match.
void pin_kind_by_kind(CpuInfo& cpu) {
  std::vector<int> order;  // old core indices, in the new order
  std::vector<bool> taken(cpu.core_pus.size(), false);
  const auto take_if = [&](auto belongs) {
    for (size_t i = 0; i < cpu.core_pus.size(); ++i)
      if (!taken[i] && belongs(cpu.core_pus[i])) {
        taken[i] = true;
        order.push_back(int(i));
      }
  };
  for (const CoreKind& k : cpu.core_kinds)
    take_if([&](int pu) { return std::binary_search(k.cpus.begin(), k.cpus.end(), pu); });
  take_if([](int) { return true; });
  std::vector<int> new_index(cpu.core_pus.size()), core_pus;
  for (size_t n = 0; n < order.size(); ++n) {
    new_index[size_t(order[n])] = int(n);
    core_pus.push_back(cpu.core_pus[size_t(order[n])]);
  }
  cpu.core_pus = std::move(core_pus);
  for (int& core : cpu.pu_core)
    if (core >= 0 && size_t(core) < new_index.size()) core = new_index[size_t(core)];
}

}  // namespace

std::vector<CoreKind> core_kinds_from_cpuinfo(const std::string& cpuinfo_text) {
  std::vector<CoreKind> kinds;
  for (const std::string& block : processor_blocks(cpuinfo_text)) {
    const auto cpu = processor_number(block);
    if (!cpu || !cpuinfo_value(block, "CPU part")) continue;
    const CpuIdentity id = identity_from_cpuinfo(block, "aarch64");
    auto kind = std::find_if(kinds.begin(), kinds.end(),
                             [&](const CoreKind& k) { return k.vendor == id.vendor && k.model == id.model; });
    if (kind == kinds.end()) {
      CoreKind k;
      k.uarch = lookup_uarch(id);
      k.vendor = id.vendor;
      k.model = id.model;
      kinds.push_back(k);
      kind = kinds.end() - 1;
    }
    kind->cpus.push_back(*cpu);
  }
  for (CoreKind& k : kinds) {
    std::sort(k.cpus.begin(), k.cpus.end());
    k.cores = int(k.cpus.size());
  }
  return kinds;
}

void order_core_kinds(CpuInfo& cpu, std::vector<CoreKind> kinds) {
  if (kinds.empty()) {
    cpu.core_kinds = {whole_chip_kind(cpu)};
    return;
  }
  std::stable_sort(kinds.begin(), kinds.end(),
                   [](const CoreKind& a, const CoreKind& b) { return fp32_rate(a) > fp32_rate(b); });
  for (CoreKind& k : kinds) k.cores = count_cores(cpu, k);
  if (kinds.size() == 1) kinds[0].freq_max_mhz = cpu.freq_max_mhz;  // CPU 0's clock is its kind's
  cpu.core_kinds = std::move(kinds);
  if (cpu.core_kinds.size() > 1) pin_kind_by_kind(cpu);
}

}  // namespace specgap
