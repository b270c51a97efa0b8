// --device: the CPU alone opens no GPU driver, an unknown id is one line naming what is here, and one
// device's fault leaves a failed result for it while the others still run.
#include <gtest/gtest.h>

#include <cmath>

#include "cli/device_choice.h"
#include "core/error.h"
#include "support/recording_sink.h"

namespace specgap::cli {
namespace {

class FakeDevice : public backends::Device {
 public:
  explicit FakeDevice(std::string id) { info_.id = std::move(id); }
  const backends::DeviceInfo& info() const override { return info_; }
  std::unique_ptr<backends::StreamArrays> stream_arrays(const backends::StreamRequest&) override { return nullptr; }
  backends::Offer transfers(backends::Transfer, uint64_t) override { return {}; }
  backends::Offer peak(const backends::PeakRequest&) override { return {}; }
  backends::Offer gemm(const backends::GemmRequest&) override { return {}; }

 private:
  backends::DeviceInfo info_;
};

TEST(ChooseDevices, TheDefaultIsTheCpuAloneAndOpensNoOtherBackend) {
  const auto chosen = choose_devices(Machine{}, {});
  ASSERT_EQ(chosen.chosen.size(), 1u);
  EXPECT_EQ(chosen.chosen[0]->info().id, "cpu");
  EXPECT_EQ(chosen.list.devices.size(), 1u);
  EXPECT_EQ(choose_devices(Machine{}, {"cpu"}).list.devices.size(), 1u);
}

TEST(ChooseDevices, AnUnknownDeviceIsOneLineNamingTheDevicesHere) {
  try {
    choose_devices(Machine{}, {"gpu97"});
    FAIL() << "no error";
  } catch (const UsageError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("--device gpu97: no such device"), std::string::npos) << what;
    EXPECT_NE(what.find("devices here: cpu"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(ChooseDevices, AllMeansEveryDeviceThatIsNotSoftware) {
  const auto chosen = choose_devices(Machine{}, {"all"});
  ASSERT_FALSE(chosen.chosen.empty());
  EXPECT_EQ(chosen.chosen[0]->info().id, "cpu");
  for (auto* d : chosen.chosen) EXPECT_NE(d->info().kind, "software") << d->info().id;
}

TEST(ForEachDevice, AFaultyDeviceGetsAFailedResultAndTheNextStillRuns) {
  FakeDevice lost("gpu0"), fine("cpu");
  test::RecordingSink sink;
  std::vector<std::string> ran;
  for_each_device({&lost, &fine}, "memory", sink, [&](backends::Device& d) {
    ran.push_back(d.info().id);
    if (d.info().id == "gpu0") throw Error("gpu0 was lost (VK_ERROR_DEVICE_LOST) during triad");
  });
  EXPECT_EQ(ran, (std::vector<std::string>{"gpu0", "cpu"}));
  ASSERT_EQ(sink.results.size(), 1u);
  EXPECT_EQ(sink.results[0].device, "gpu0");
  EXPECT_EQ(sink.results[0].suite, "memory");
  EXPECT_TRUE(check_failed(sink.results[0].check));
  EXPECT_NE(sink.results[0].check.find("VK_ERROR_DEVICE_LOST"), std::string::npos);
  EXPECT_TRUE(std::isnan(sink.results[0].value));
}

TEST(ForEachDevice, ABadFlagAndCtrlCStillStopEverything) {
  FakeDevice a("gpu0"), b("cpu");
  test::RecordingSink sink;
  EXPECT_THROW(for_each_device({&a, &b}, "soak", sink, [](backends::Device&) { throw UsageError("bad"); }),
               UsageError);
  EXPECT_THROW(for_each_device({&a, &b}, "soak", sink, [](backends::Device&) { throw Interrupted(2); }), Interrupted);
  EXPECT_TRUE(sink.results.empty());
}

}  // namespace
}  // namespace specgap::cli
