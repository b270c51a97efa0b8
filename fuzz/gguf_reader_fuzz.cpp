// libFuzzer target for the GGUF reader: any input either opens, and then every value it exposes can
// be walked inside the bytes given, or fails with specgap::Error. Anything else (a crash, a
// sanitizer report, another exception, a hang) is a bug. Built by fuzz/build.sh, not by CMake.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/gguf_reader.h"

namespace {

// Touches every byte a caller could reach, so ASan sees any read outside the input.
uint64_t walk(const specgap::llm::GgufFile& f) {
  using specgap::llm::GgufValueType;
  uint64_t sum = f.version() + f.alignment() + f.data_offset() + f.file_bytes();
  for (const auto& kv : f.metadata()) {
    sum += kv.key.size();
    if (f.find(kv.key) != &kv) __builtin_trap();
    switch (kv.type) {
      case GgufValueType::string:
        for (char c : kv.string) sum += uint8_t(c);
        (void)f.get_string(kv.key);
        break;
      case GgufValueType::array: {
        const auto& a = kv.array;
        if (f.array_length(kv.key) != a.count) __builtin_trap();
        if (a.type == GgufValueType::string) {
          for (uint64_t i = 0; i < a.count; ++i)
            for (char c : a.string_at(i)) sum += uint8_t(c);
          if (a.count) sum += f.get_string_array_element(kv.key, a.count - 1).size();
          sum += f.get_string_array(kv.key)->size();
        } else {
          for (uint64_t i = 0; i < a.count; ++i) {
            const auto e = a.element(i);
            sum += e.bits;
            (void)e.to_double();
          }
          switch (a.type) {
            case GgufValueType::f32: sum += f.get_array<float>(kv.key)->size(); break;
            case GgufValueType::i32: sum += f.get_array<int32_t>(kv.key)->size(); break;
            case GgufValueType::u8: sum += f.get_array<uint8_t>(kv.key)->size(); break;
            case GgufValueType::boolean:
              sum += f.get_array<bool>(kv.key)->size();
              if (a.count) sum += f.get_array_element<bool>(kv.key, 0);
              break;
            case GgufValueType::f64:
              if (a.count) sum += uint64_t(f.get_array_element<double>(kv.key, a.count - 1) != 0);
              break;
            default: break;
          }
          // The wrong element type must be refused, never reinterpreted.
          if (a.type != GgufValueType::i64) {
            bool refused = false;
            try {
              (void)f.get_array<int64_t>(kv.key);
            } catch (const specgap::Error&) {
              refused = true;
            }
            if (!refused) __builtin_trap();
          }
        }
        break;
      }
      default:
        sum += kv.scalar.bits;
        (void)kv.scalar.to_double();
        (void)kv.scalar.to_int();
        try {
          (void)f.get_uint(kv.key);
        } catch (const specgap::Error&) {
        }
        try {
          (void)f.get_float(kv.key);
        } catch (const specgap::Error&) {
        }
        break;
    }
  }
  for (const auto& t : f.tensors()) {
    if (f.find_tensor(t.name) != &t) __builtin_trap();
    const auto* base = t.data;
    // First, last and a stride of bytes: the whole range would make big tensors slow to fuzz.
    sum += uint8_t(base[0]) + uint8_t(base[t.bytes - 1]);
    for (uint64_t i = 0; i < t.bytes; i += 4093) sum += uint8_t(base[i]);
    sum += t.elements() + t.rows() + specgap::llm::shape_string(t).size();
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::byte> bytes(size);
  if (size) std::memcpy(bytes.data(), data, size);
  try {
    const auto f = specgap::llm::GgufFile::from_bytes(std::move(bytes), "fuzz.gguf");
    volatile uint64_t sink = walk(f);
    (void)sink;
  } catch (const specgap::Error& e) {
    // Errors are one line.
    for (const char* p = e.what(); *p; ++p)
      if (*p == '\n') __builtin_trap();
  }
  return 0;
}
