#include "backends/cpu/buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <utility>

#include "core/error.h"
#include "core/units.h"

namespace specgap::cpu {
namespace {
constexpr size_t kHugePage = 2 * 1024 * 1024;
}

Buffer::Buffer(size_t bytes) : bytes_(bytes) {
  // No machine has 2^60 bytes; refusing here keeps the rounding below from wrapping.
  if (bytes > (size_t(1) << 60)) throw Error("cannot allocate " + std::to_string(bytes) + " bytes: too large");
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  mapped_ = rounded + kHugePage;
  base_ = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base_ == MAP_FAILED) {
    base_ = nullptr;
    throw Error("cannot allocate " + format_bytes(bytes) + " for the kernel arrays: " + std::strerror(errno));
  }
  const auto addr = reinterpret_cast<uintptr_t>(base_);
  data_ = reinterpret_cast<void*>((addr + kHugePage - 1) / kHugePage * kHugePage);
  // Advice only: without THP the kernels still run, on 4 KiB pages.
  madvise(data_, rounded, MADV_HUGEPAGE);
}

Buffer::~Buffer() {
  if (base_) munmap(base_, mapped_);
}

Buffer::Buffer(Buffer&& o) noexcept
    : base_(std::exchange(o.base_, nullptr)), mapped_(o.mapped_), data_(std::exchange(o.data_, nullptr)),
      bytes_(o.bytes_) {}

Buffer& Buffer::operator=(Buffer&& o) noexcept {
  if (this != &o) {
    if (base_) munmap(base_, mapped_);
    base_ = std::exchange(o.base_, nullptr);
    mapped_ = o.mapped_;
    data_ = std::exchange(o.data_, nullptr);
    bytes_ = o.bytes_;
  }
  return *this;
}

std::string transparent_hugepage_mode() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(f, line)) return "unknown";
  // The active mode is the bracketed one: "always [madvise] never".
  const auto open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "unknown";
  return line.substr(open + 1, close - open - 1);
}

}  // namespace specgap::cpu
