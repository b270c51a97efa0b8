#include "suites/transfer/transfers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/units.h"
#include "harness/measure.h"

namespace specgap::suites {

uint64_t default_transfer_bytes(const backends::DeviceInfo& d) {
  uint64_t bytes = 512 * MiB;
  if (d.max_buffer_bytes) bytes = std::min(bytes, d.max_buffer_bytes);
  if (d.memory_bytes) bytes = std::min(bytes, d.memory_bytes / 4);
  return std::max<uint64_t>(bytes / 4096 * 4096, 4096);
}

std::vector<Result> measure_transfers(backends::Device& device, const TransferConfig& config, RunSink& sink) {
  const auto& info = device.info();
  std::vector<backends::Transfer> kinds = config.kinds;
  if (kinds.empty())
    kinds = {backends::Transfer::h2d, backends::Transfer::d2h, backends::Transfer::d2d, backends::Transfer::bidir};
  std::vector<Result> results;
  for (auto t : kinds) {
    harness::Plan plan{"transfer", info.id, backends::to_string(t), "GB/s", config.reps, harness::rate_gb_per_s,
                       {{"bytes", config.bytes}}};
    sink.progress(fmt::format("transfer {}: preparing {} of {}", info.id, plan.name, format_bytes(config.bytes)));
    auto offer = device.transfers(t, config.bytes);
    Result r = offer.kernels.empty() ? harness::unsupported_result(plan, offer.unsupported)
                                     : harness::to_result(harness::measure(offer.kernels, plan, sink), plan);
    r.params = {{"bytes", config.bytes},
                {"counting", t == backends::Transfer::bidir
                                 ? "nvbandwidth: the bytes copied once, both directions added"
                                 : "nvbandwidth: the bytes copied, once (a device-local copy moves twice "
                                   "as many through DRAM)"},
                {"timer", info.timer}};
    if (info.unified_memory) r.params["note"] = "host and device share the same DRAM";
    harness::name_device(r, info);
    sink.result(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace specgap::suites
