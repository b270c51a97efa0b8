// Buffer: the size asked for, 2 MiB-aligned data, writable end to end, and ownership that moves.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include "backends/cpu/buffer.h"

namespace specgap::cpu {
namespace {

constexpr uintptr_t k2MiB = 2 * 1024 * 1024;

TEST(Buffer, SizeAndHugePageAlignment) {
  for (size_t bytes : {size_t{1}, size_t{4096}, size_t{12345}, k2MiB - 1, k2MiB, k2MiB + 1, size_t{5} << 20}) {
    const Buffer buf(bytes);
    EXPECT_EQ(buf.size(), bytes);
    ASSERT_NE(buf.data(), nullptr) << bytes;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(buf.data()) % k2MiB, 0u) << bytes;
    EXPECT_EQ(buf.as<char>(), static_cast<char*>(buf.data()));
  }
}

TEST(Buffer, WholeSizeIsWritable) {
  const size_t bytes = 3 * k2MiB + 100;
  Buffer buf(bytes);
  auto* p = buf.as<unsigned char>();
  p[0] = 1;
  p[bytes / 2] = 2;
  p[bytes - 1] = 3;
  std::memset(p, 0x5a, bytes);
  EXPECT_EQ(p[0], 0x5a);
  EXPECT_EQ(p[bytes - 1], 0x5a);
}

TEST(Buffer, MoveTransfersOwnership) {
  Buffer a(8192);
  a.as<int>()[0] = 7;
  void* data = a.data();
  Buffer b(std::move(a));
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.size(), 8192u);
  EXPECT_EQ(b.as<int>()[0], 7);
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is the point

  Buffer c(4096);
  c = std::move(b);
  EXPECT_EQ(c.data(), data);
  EXPECT_EQ(c.size(), 8192u);
  EXPECT_EQ(b.data(), nullptr);  // NOLINT(bugprone-use-after-move)
}

TEST(Buffer, ImpossibleSizeThrowsAnErrorNamingIt) {
  try {
    Buffer huge(size_t(1) << 62);
    ADD_FAILURE() << "a 4 EiB mapping succeeded";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("cannot allocate"), std::string::npos) << e.what();
  }
}

TEST(Buffer, TransparentHugePageModeIsOneOfTheKernelsWords) {
  const std::set<std::string> modes = {"always", "madvise", "never", "unknown"};
  EXPECT_TRUE(modes.count(transparent_hugepage_mode())) << transparent_hugepage_mode();
}

}  // namespace
}  // namespace specgap::cpu
