#include "llm/gguf_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"

namespace specgap::llm {

namespace {

constexpr uint32_t kVersion = 3;
constexpr size_t kChunkBytes = size_t(64) << 20;  // one write() call at most: large, but bounded

void put_bytes(std::vector<std::byte>& out, const void* p, size_t n) {
  const auto* b = static_cast<const std::byte*>(p);
  out.insert(out.end(), b, b + n);
}
template <class T> void put(std::vector<std::byte>& out, T v) { put_bytes(out, &v, sizeof v); }
void put_string(std::vector<std::byte>& out, std::string_view s) {
  put<uint64_t>(out, s.size());
  put_bytes(out, s.data(), s.size());
}
template <class T> std::vector<std::byte> scalar(GgufValueType type, T v) {
  std::vector<std::byte> out;
  put<uint32_t>(out, uint32_t(type));
  put(out, v);
  return out;
}

uint64_t pad(uint64_t x, uint64_t alignment) { return (x + alignment - 1) / alignment * alignment; }

void check_alignment(uint32_t alignment) {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > GgufLimits::max_alignment)
    throw Error(fmt::format("gguf writer: alignment {} is not a power of two up to {}", alignment,
                            GgufLimits::max_alignment));
}

// A file descriptor that is closed on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

void GgufWriter::set(std::string key, std::vector<std::byte> value) {
  if (key.empty()) throw Error("gguf writer: empty key");
  if (key.size() > GgufLimits::max_key_bytes)
    throw Error(fmt::format("gguf writer: key of {} bytes is over the {}-byte limit", key.size(),
                            GgufLimits::max_key_bytes));
  for (auto& kv : kvs_)
    if (kv.key == key) {
      kv.value = std::move(value);
      return;
    }
  kvs_.push_back({std::move(key), std::move(value)});
}

void GgufWriter::set_u8(std::string key, uint8_t v) { set(std::move(key), scalar(GgufValueType::u8, v)); }
void GgufWriter::set_i8(std::string key, int8_t v) { set(std::move(key), scalar(GgufValueType::i8, v)); }
void GgufWriter::set_u16(std::string key, uint16_t v) { set(std::move(key), scalar(GgufValueType::u16, v)); }
void GgufWriter::set_i16(std::string key, int16_t v) { set(std::move(key), scalar(GgufValueType::i16, v)); }
void GgufWriter::set_u32(std::string key, uint32_t v) { set(std::move(key), scalar(GgufValueType::u32, v)); }
void GgufWriter::set_i32(std::string key, int32_t v) { set(std::move(key), scalar(GgufValueType::i32, v)); }
void GgufWriter::set_u64(std::string key, uint64_t v) { set(std::move(key), scalar(GgufValueType::u64, v)); }
void GgufWriter::set_i64(std::string key, int64_t v) { set(std::move(key), scalar(GgufValueType::i64, v)); }
void GgufWriter::set_f32(std::string key, float v) { set(std::move(key), scalar(GgufValueType::f32, v)); }
void GgufWriter::set_f64(std::string key, double v) { set(std::move(key), scalar(GgufValueType::f64, v)); }
void GgufWriter::set_bool(std::string key, bool v) { set(std::move(key), scalar(GgufValueType::boolean, uint8_t(v))); }

void GgufWriter::set_string(std::string key, std::string v) {
  if (v.size() > GgufLimits::max_string_bytes)
    throw Error(fmt::format("gguf writer: value of '{}' is {} bytes, over the reader's {}-byte limit", key, v.size(),
                            GgufLimits::max_string_bytes));
  std::vector<std::byte> out;
  put<uint32_t>(out, uint32_t(GgufValueType::string));
  put_string(out, v);
  set(std::move(key), std::move(out));
}

void GgufWriter::set_string_array(std::string key, const std::vector<std::string>& v) {
  std::vector<std::byte> out;
  put<uint32_t>(out, uint32_t(GgufValueType::array));
  put<uint32_t>(out, uint32_t(GgufValueType::string));
  put<uint64_t>(out, v.size());
  for (auto& s : v) {
    if (s.size() > GgufLimits::max_string_bytes)
      throw Error(fmt::format("gguf writer: an element of '{}' is {} bytes, over the reader's {}-byte limit", key,
                              s.size(), GgufLimits::max_string_bytes));
    put_string(out, s);
  }
  set(std::move(key), std::move(out));
}

void GgufWriter::set_array_raw(std::string key, GgufValueType type, const void* data, uint64_t count) {
  std::vector<std::byte> out;
  put<uint32_t>(out, uint32_t(GgufValueType::array));
  put<uint32_t>(out, uint32_t(type));
  put<uint64_t>(out, count);
  put_bytes(out, data, count * gguf_value_size(type));
  set(std::move(key), std::move(out));
}

void GgufWriter::add_tensor(std::string name, GgmlType type, std::vector<uint64_t> dims, const void* data,
                            uint64_t bytes) {
  const auto fail = [&](const std::string& problem) {
    throw Error(fmt::format("gguf writer: tensor '{}': {}", name, problem));
  };
  if (name.empty() || name.size() > GgufLimits::max_tensor_name_bytes)
    fail(fmt::format("name of {} bytes, must be 1 to {}", name.size(), GgufLimits::max_tensor_name_bytes));
  for (auto& t : tensors_)
    if (t.name == name) fail("added twice");
  if (dims.empty() || dims.size() > 4) fail(fmt::format("{} dimensions, must be 1 to 4", dims.size()));
  uint64_t rows = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 0) fail(fmt::format("dimension {} is 0", i));
    if (i > 0 && __builtin_mul_overflow(rows, dims[i], &rows)) fail("too many elements");
  }
  const auto row = ggml_row_bytes(type, dims[0]);
  if (!row) fail(fmt::format("ne[0] {} is not a whole number of {} blocks", dims[0], to_string(type)));
  uint64_t expected = 0;
  if (__builtin_mul_overflow(*row, rows, &expected) || expected > uint64_t(INT64_MAX)) fail("too many bytes");
  if (bytes != expected)
    fail(fmt::format("{} bytes given, {} elements of {} take {}", bytes, dims[0] * rows, to_string(type), expected));
  if (!data) fail("no data");
  tensors_.push_back({std::move(name), type, std::move(dims), data, bytes});
}

std::vector<std::byte> GgufWriter::head(uint32_t alignment, std::vector<uint64_t>& offsets) const {
  check_alignment(alignment);
  std::vector<std::byte> out;
  put<uint32_t>(out, 0x46554747);  // "GGUF"
  put<uint32_t>(out, kVersion);
  put<uint64_t>(out, tensors_.size());
  const bool write_alignment = alignment != GgufLimits::default_alignment;
  const auto user_alignment =
      std::find_if(kvs_.begin(), kvs_.end(), [](const Kv& kv) { return kv.key == "general.alignment"; });
  if (user_alignment != kvs_.end())
    throw Error("gguf writer: set the alignment through write(), not the general.alignment key");
  put<uint64_t>(out, kvs_.size() + (write_alignment ? 1 : 0));
  if (write_alignment) {
    put_string(out, "general.alignment");
    const auto v = scalar(GgufValueType::u32, alignment);
    put_bytes(out, v.data(), v.size());
  }
  for (auto& kv : kvs_) {
    put_string(out, kv.key);
    put_bytes(out, kv.value.data(), kv.value.size());
  }
  // ggml places tensor i at exactly the padded sum of the sizes before it.
  uint64_t offset = 0;
  offsets.clear();
  for (auto& t : tensors_) {
    put_string(out, t.name);
    put<uint32_t>(out, uint32_t(t.dims.size()));
    for (uint64_t d : t.dims) put<uint64_t>(out, d);
    put<uint32_t>(out, uint32_t(t.type));
    put<uint64_t>(out, offset);
    offsets.push_back(offset);
    offset += pad(t.bytes, alignment);
  }
  if (!tensors_.empty()) out.resize(pad(out.size(), alignment), std::byte{0});
  return out;
}

std::vector<std::byte> GgufWriter::to_bytes(uint32_t alignment) const {
  std::vector<uint64_t> offsets;
  std::vector<std::byte> out = head(alignment, offsets);
  for (auto& t : tensors_) {
    put_bytes(out, t.data, t.bytes);
    out.resize(pad(out.size(), alignment), std::byte{0});
  }
  return out;
}

void GgufWriter::write(const std::string& path, uint32_t alignment) const {
  std::vector<uint64_t> offsets;
  const std::vector<std::byte> header = head(alignment, offsets);
  const std::string tmp = path + ".tmp";
  const auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("gguf writer: {}: {} ({})", path, what, std::strerror(err)));
  };
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw Error(fmt::format("gguf writer: {}: cannot create {} ({})", path, tmp, std::strerror(errno)));
  uint64_t written = 0;
  const auto write_all = [&](const void* p, uint64_t n) {
    const auto* b = static_cast<const std::byte*>(p);
    while (n > 0) {
      const ssize_t w = ::write(fd.get(), b, size_t(std::min<uint64_t>(n, kChunkBytes)));
      if (w < 0) {
        if (errno == EINTR) continue;
        fail(fmt::format("write failed at byte {}", written), errno);
      }
      if (w == 0) fail(fmt::format("write failed at byte {}", written), EIO);
      b += w;
      n -= uint64_t(w);
      written += uint64_t(w);
    }
  };
  static const std::byte zeros[GgufLimits::max_alignment] = {};
  write_all(header.data(), header.size());
  for (auto& t : tensors_) {
    write_all(t.data, t.bytes);
    write_all(zeros, pad(t.bytes, alignment) - t.bytes);
  }
  if (::fsync(fd.get()) != 0) fail("fsync failed", errno);
  if (::close(fd.release()) != 0) fail("close failed", errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(fmt::format("cannot rename {} to it", tmp), errno);
}

}  // namespace specgap::llm
