#pragma once
// Large, page-aligned memory for kernels: mmap'd anonymous memory, asked for transparent huge pages
// (fewer TLB misses, as MLC and STREAM runs on tuned systems get), touched first by the threads that
// will use it. Nothing is touched here.
#include <cstddef>
#include <string>

namespace specgap::cpu {

class Buffer {
 public:
  // Throws specgap::Error naming the size when the memory cannot be mapped.
  explicit Buffer(size_t bytes);
  ~Buffer();
  Buffer(Buffer&& other) noexcept;
  Buffer& operator=(Buffer&& other) noexcept;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  void* data() const { return data_; }
  size_t size() const { return bytes_; }
  template <class T>
  T* as() const { return static_cast<T*>(data_); }

 private:
  void* base_ = nullptr;  // the mapping as made (larger, for alignment)
  size_t mapped_ = 0;
  void* data_ = nullptr;  // 2 MiB aligned
  size_t bytes_ = 0;
};

// "always", "madvise" or "never" from /sys/kernel/mm/transparent_hugepage/enabled; "unknown" if absent.
std::string transparent_hugepage_mode();

}  // namespace specgap::cpu
