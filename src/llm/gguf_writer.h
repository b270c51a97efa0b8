#pragma once
// Writes GGUF v3, little-endian, as ggml lays it out: metadata, tensor infos, padding to the
// alignment, then each tensor's data at exactly the padded sum of the sizes before it (ggml refuses
// any other placement). Tensor data is not copied: it is streamed from the caller's memory when the
// file is written, so a writer of a many-GB model holds only the metadata. write() goes to
// `path.tmp` and renames it into place, so a failed write leaves no half file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ggml_type.h"
#include "llm/gguf_reader.h"

namespace specgap::llm {

class GgufWriter {
 public:
  // Setting a key again replaces its value in place (its position in the file stays).
  void set_u8(std::string key, uint8_t v);
  void set_i8(std::string key, int8_t v);
  void set_u16(std::string key, uint16_t v);
  void set_i16(std::string key, int16_t v);
  void set_u32(std::string key, uint32_t v);
  void set_i32(std::string key, int32_t v);
  void set_u64(std::string key, uint64_t v);
  void set_i64(std::string key, int64_t v);
  void set_f32(std::string key, float v);
  void set_f64(std::string key, double v);
  void set_bool(std::string key, bool v);
  void set_string(std::string key, std::string v);

  void set_string_array(std::string key, const std::vector<std::string>& v);
  void set_f32_array(std::string key, const std::vector<float>& v) { set_array(std::move(key), v); }
  void set_i32_array(std::string key, const std::vector<int32_t>& v) { set_array(std::move(key), v); }
  // Any fixed-size element type: uint8_t … double, and bool (written as 0/1).
  template <class T> void set_array(std::string key, const std::vector<T>& v);

  // `data` is not copied and must live until write(). dims: ne[0] first, 1 to 4 of them, none 0;
  // `bytes` must be what type and dims take. Names: 1 to 63 bytes, unique. Throws specgap::Error.
  void add_tensor(std::string name, GgmlType type, std::vector<uint64_t> dims, const void* data, uint64_t bytes);

  // alignment: a power of two up to 1 MiB; general.alignment is written (as the first key) when it
  // is not the default 32. Throws specgap::Error naming the path and the system's reason.
  void write(const std::string& path, uint32_t alignment = 32) const;
  // The same file in memory (tests, fuzz seeds; small files only).
  std::vector<std::byte> to_bytes(uint32_t alignment = 32) const;

  size_t kv_count() const { return kvs_.size(); }
  size_t tensor_count() const { return tensors_.size(); }

 private:
  struct Kv {
    std::string key;
    std::vector<std::byte> value;  // type id, then the encoded value
  };
  struct Tensor {
    std::string name;
    GgmlType type;
    std::vector<uint64_t> dims;
    const void* data;
    uint64_t bytes;
  };
  void set(std::string key, std::vector<std::byte> value);
  void set_array_raw(std::string key, GgufValueType type, const void* data, uint64_t count);
  // Header, metadata and tensor infos, padded to the data section; each tensor's offset in `offsets`.
  std::vector<std::byte> head(uint32_t alignment, std::vector<uint64_t>& offsets) const;

  std::vector<Kv> kvs_;
  std::vector<Tensor> tensors_;
};

template <class T> void GgufWriter::set_array(std::string key, const std::vector<T>& v) {
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<uint8_t> bytes(v.begin(), v.end());
    set_array_raw(std::move(key), GgufValueType::boolean, bytes.data(), bytes.size());
  } else {
    set_array_raw(std::move(key), GgufTypeOf<T>::value, v.data(), v.size());
  }
}

}  // namespace specgap::llm
