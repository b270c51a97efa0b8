#include "cli/device_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace specgap::cli {
namespace {
std::string devices_here(const backends::DeviceList& list) {
  std::vector<std::string> ids;
  for (auto& d : list.devices)
    ids.push_back(d->info().id == "cpu" ? "cpu" : fmt::format("{} ({}, {})", d->info().id, d->info().name, d->info().kind));
  std::string text = fmt::format("devices here: {}", fmt::join(ids, ", "));
  for (auto& note : list.notes) text += "; " + note;
  return text;
}
}  // namespace

ChosenDevices choose_devices(const Machine& m, const std::vector<std::string>& ids) {
  ChosenDevices c;
  const bool cpu_only = ids.empty() || (ids.size() == 1 && ids.front() == "cpu");
  // The CPU alone opens no GPU driver: a plain `specgap memory` never loads Vulkan.
  c.list = backends::open_devices(m, cpu_only ? std::vector<std::string>{"cpu"} : std::vector<std::string>{});
  if (cpu_only) {
    c.chosen.push_back(c.list.devices.front().get());
    return c;
  }
  for (auto& id : ids) {
    if (id == "all") {
      for (auto& d : c.list.devices)
        if (d->info().kind != "software" && std::find(c.chosen.begin(), c.chosen.end(), d.get()) == c.chosen.end())
          c.chosen.push_back(d.get());
      continue;
    }
    backends::Device* d = backends::find_device(c.list, id);
    if (!d) throw UsageError(fmt::format("--device {}: no such device ({})", id, devices_here(c.list)));
    if (std::find(c.chosen.begin(), c.chosen.end(), d) == c.chosen.end()) c.chosen.push_back(d);
  }
  return c;
}

nlohmann::json devices_json(const ChosenDevices& c) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& d : c.list.devices) out.push_back(backends::to_json(d->info()));
  return out;
}

void for_each_device(const std::vector<backends::Device*>& devices, const std::string& suite, RunSink& sink,
                     const std::function<void(backends::Device&)>& measure) {
  for (auto* d : devices) {
    try {
      measure(*d);
    } catch (const Interrupted&) {
      throw;
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      Result r;
      r.suite = suite;
      r.device = d->info().id;
      r.name = "device";
      r.value = std::nan("");
      r.check = fmt::format("failed: {}: {}", d->info().id, e.what());
      sink.result(r);
    }
  }
}

}  // namespace specgap::cli
