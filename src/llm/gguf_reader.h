#pragma once
// A GGUF reader for hostile files (reference/llm.md §1). The whole file is checked when it is opened:
// every count, length, offset and size against the bytes left, with overflow-safe arithmetic, before
// anything is allocated. A file that opens is safe to walk: strings, arrays and tensor data all lie
// inside the mapping. Any violation throws specgap::Error with one line naming the file, the field
// and its byte offset:
//   gguf: model.gguf: tensor 'blk.0.attn_q.weight' (info at byte 1234): data ends at byte 9999, past
//   the end of the file (8000 bytes)
// Only little-endian GGUF v2 and v3 are read.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "llm/tensor.h"

namespace specgap::llm {

// Values are copied out of the mapping as they lie; big-endian hosts would need byte swaps.
static_assert(std::endian::native == std::endian::little, "the GGUF reader assumes a little-endian host");

// Metadata value types with the ids files store (reference/llm.md §1.2).
enum class GgufValueType : uint32_t {
  u8 = 0, i8 = 1, u16 = 2, i16 = 3, u32 = 4, i32 = 5, f32 = 6, boolean = 7,
  string = 8, array = 9, u64 = 10, i64 = 11, f64 = 12,
};
// "u8", "i32", "f32", "bool", "string", "array", …
std::string_view to_string(GgufValueType t);
// Bytes one value of a fixed-size type takes in the file; 0 for string and array.
uint32_t gguf_value_size(GgufValueType t);

// A fixed-size value (integer, float or bool) as the file stores it: the little-endian bits,
// zero-extended. Decoding never reinterprets: an integer is never read as a float's bits.
struct GgufScalar {
  GgufValueType type = GgufValueType::u8;
  uint64_t bits = 0;

  bool is_integer() const;
  bool is_float() const { return type == GgufValueType::f32 || type == GgufValueType::f64; }
  // Integers only: the value when it is non-negative (to_uint) / fits int64 (to_int).
  std::optional<uint64_t> to_uint() const;
  std::optional<int64_t> to_int() const;
  // Floats and integers (integers above 2^53 round).
  std::optional<double> to_double() const;
  std::optional<bool> to_bool() const;  // BOOL only
};

// An array value: element type (never array), count, and where its elements lie in the mapping.
struct GgufArray {
  GgufValueType type = GgufValueType::u8;
  uint64_t count = 0;
  const std::byte* data = nullptr;  // the first element
  uint64_t bytes = 0;               // bytes the elements take in the file
  // String arrays: each element's length field, as a byte offset from `data`; empty otherwise.
  std::vector<uint64_t> string_offsets;

  // Element i as stored; i < count and a fixed-size element type (else std::out_of_range).
  GgufScalar element(uint64_t i) const;
  // Element i of a string array; i < count (else std::out_of_range).
  std::string_view string_at(uint64_t i) const;
};

struct GgufKv {
  std::string key;
  GgufValueType type = GgufValueType::u8;
  uint64_t offset = 0;      // byte of the key's length field in the file
  GgufScalar scalar;        // fixed-size types
  std::string_view string;  // STRING: into the mapping
  GgufArray array;          // ARRAY
};

// C++ type <-> GGUF element type, for typed array access (bool is BOOL, stored 0/1).
template <class T> struct GgufTypeOf;
template <> struct GgufTypeOf<uint8_t> { static constexpr auto value = GgufValueType::u8; };
template <> struct GgufTypeOf<int8_t> { static constexpr auto value = GgufValueType::i8; };
template <> struct GgufTypeOf<uint16_t> { static constexpr auto value = GgufValueType::u16; };
template <> struct GgufTypeOf<int16_t> { static constexpr auto value = GgufValueType::i16; };
template <> struct GgufTypeOf<uint32_t> { static constexpr auto value = GgufValueType::u32; };
template <> struct GgufTypeOf<int32_t> { static constexpr auto value = GgufValueType::i32; };
template <> struct GgufTypeOf<float> { static constexpr auto value = GgufValueType::f32; };
template <> struct GgufTypeOf<bool> { static constexpr auto value = GgufValueType::boolean; };
template <> struct GgufTypeOf<uint64_t> { static constexpr auto value = GgufValueType::u64; };
template <> struct GgufTypeOf<int64_t> { static constexpr auto value = GgufValueType::i64; };
template <> struct GgufTypeOf<double> { static constexpr auto value = GgufValueType::f64; };

// Limits beyond the format's own (reference/llm.md §1.7): generous for real files, small enough
// that a short hostile file cannot ask for gigabytes.
struct GgufLimits {
  static constexpr uint64_t max_key_bytes = 65535;            // the spec's limit
  static constexpr uint64_t max_string_bytes = 16ull << 20;   // one metadata string (chat templates are ~10 KiB)
  static constexpr uint64_t max_array_count = 1ull << 30;     // also bounded by the bytes left
  static constexpr uint64_t max_kv_count = 1ull << 20;
  static constexpr uint64_t max_tensor_count = 1ull << 20;
  static constexpr uint64_t max_tensor_name_bytes = 63;       // ggml: name.length() < GGML_MAX_NAME (64)
  static constexpr uint64_t max_alignment = 1ull << 20;
  static constexpr uint64_t default_alignment = 32;
};

class GgufFile {
 public:
  // Maps the file read-only and checks all of it; throws specgap::Error on any violation.
  static GgufFile open(const std::string& path);
  // The same checks on bytes in memory (tests, the fuzzer); `label` names them in errors.
  static GgufFile from_bytes(std::vector<std::byte> bytes, std::string label);

  GgufFile(GgufFile&&) noexcept;
  GgufFile& operator=(GgufFile&&) noexcept;
  ~GgufFile();

  const std::string& label() const { return label_; }
  uint32_t version() const { return version_; }
  uint64_t file_bytes() const { return size_; }
  uint64_t alignment() const { return alignment_; }
  // Where tensor data starts: the aligned end of the tensor infos (their unpadded end with no tensors).
  uint64_t data_offset() const { return data_offset_; }

  const std::vector<GgufKv>& metadata() const { return kvs_; }  // in file order
  const GgufKv* find(std::string_view key) const;
  // Scalar getters: nullopt when the key is absent; specgap::Error when it is present with another
  // type (or a negative value for get_uint), never a reinterpretation.
  std::optional<uint64_t> get_uint(std::string_view key) const;   // any integer type, non-negative
  std::optional<double> get_float(std::string_view key) const;    // FLOAT32, FLOAT64 or an integer
  std::optional<std::string_view> get_string(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;
  std::optional<uint64_t> array_length(std::string_view key) const;  // ARRAY only

  // Typed arrays: the caller states the element type it expects (T: uint8_t … double, bool);
  // nullopt when absent, specgap::Error when the key is not an array of exactly that type.
  template <class T> std::optional<std::vector<T>> get_array(std::string_view key) const;
  // One element; specgap::Error when absent, of another type, or the index is out of range.
  template <class T> T get_array_element(std::string_view key, uint64_t index) const;
  std::optional<std::vector<std::string_view>> get_string_array(std::string_view key) const;
  std::string_view get_string_array_element(std::string_view key, uint64_t index) const;

  const std::vector<TensorView>& tensors() const { return tensors_; }  // in file order; data in the mapping
  const TensorView* find_tensor(std::string_view name) const;
  // Byte of tensor i's info record in the file (for messages), and of its data.
  uint64_t tensor_info_offset(size_t i) const { return tensor_info_offsets_.at(i); }
  uint64_t tensor_file_offset(size_t i) const { return uint64_t(tensors_.at(i).data - base_); }

 private:
  struct Mapping;
  GgufFile() = default;
  void parse();
  // The array behind `key` with element type `expect`: nullptr when absent, Error when mistyped.
  const GgufArray* typed_array(std::string_view key, GgufValueType expect) const;
  const GgufArray& required_array(std::string_view key, GgufValueType expect, uint64_t index) const;

  std::unique_ptr<Mapping> map_;
  const std::byte* base_ = nullptr;
  uint64_t size_ = 0;
  std::string label_;
  uint32_t version_ = 0;
  uint64_t alignment_ = GgufLimits::default_alignment;
  uint64_t data_offset_ = 0;
  std::vector<GgufKv> kvs_;
  std::map<std::string, size_t, std::less<>> kv_index_;
  std::vector<TensorView> tensors_;
  std::vector<uint64_t> tensor_info_offsets_;
  std::map<std::string, size_t, std::less<>> tensor_index_;
};

template <class T> std::optional<std::vector<T>> GgufFile::get_array(std::string_view key) const {
  const GgufArray* a = typed_array(key, GgufTypeOf<T>::value);
  if (!a) return std::nullopt;
  std::vector<T> out(a->count);
  if constexpr (std::is_same_v<T, bool>) {
    for (uint64_t i = 0; i < a->count; ++i) out[i] = a->data[i] != std::byte{0};
  } else {
    if (a->count) std::memcpy(out.data(), a->data, a->count * sizeof(T));  // little-endian host
  }
  return out;
}

template <class T> T GgufFile::get_array_element(std::string_view key, uint64_t index) const {
  const GgufArray& a = required_array(key, GgufTypeOf<T>::value, index);
  if constexpr (std::is_same_v<T, bool>) {
    return a.data[index] != std::byte{0};
  } else {
    T v;
    std::memcpy(&v, a.data + index * sizeof(T), sizeof(T));
    return v;
  }
}

}  // namespace specgap::llm
