#pragma once
// The malformed GGUF corpus (tests/fixtures/gguf/malformed/): each file is built here byte by byte,
// so the committed bytes can be checked against their recipe and regenerated with
//   SPECGAP_REGENERATE_GGUF_CORPUS=1 build-gguf/tests/test_llm --gtest_filter='GgufCorpus.*'
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace specgap::test {

// Little-endian GGUF pieces, appended in order; nothing is checked.
class GgufBytes {
 public:
  GgufBytes& u8(uint8_t v) { return raw(&v, 1); }
  GgufBytes& u32(uint32_t v) { return raw(&v, 4); }
  GgufBytes& u64(uint64_t v) { return raw(&v, 8); }
  GgufBytes& str(std::string_view s) {
    u64(s.size());
    return raw(s.data(), s.size());
  }
  GgufBytes& raw(const void* p, size_t n) {
    const auto* b = static_cast<const std::byte*>(p);
    bytes.insert(bytes.end(), b, b + n);
    return *this;
  }
  GgufBytes& zeros(size_t n) {
    bytes.resize(bytes.size() + n, std::byte{0});
    return *this;
  }
  GgufBytes& header(uint32_t version, uint64_t n_tensors, uint64_t n_kv) {
    return u32(0x46554747).u32(version).u64(n_tensors).u64(n_kv);
  }
  GgufBytes& kv_u32(std::string_view key, uint32_t v) { return str(key).u32(4).u32(v); }
  GgufBytes& kv_string(std::string_view key, std::string_view v) { return str(key).u32(8).str(v); }
  GgufBytes& tensor(std::string_view name, const std::vector<uint64_t>& dims, uint32_t type, uint64_t offset) {
    str(name).u32(uint32_t(dims.size()));
    for (uint64_t d : dims) u64(d);
    return u32(type).u64(offset);
  }
  // Zero bytes up to the next multiple of `alignment`.
  GgufBytes& pad(size_t alignment) { return zeros((alignment - bytes.size() % alignment) % alignment); }
  size_t size() const { return bytes.size(); }

  std::vector<std::byte> bytes;
};

struct CorpusFile {
  std::string name;              // file name in the folder, saying what is wrong
  std::vector<std::byte> bytes;
};

std::vector<CorpusFile> malformed_gguf_corpus();

}  // namespace specgap::test
