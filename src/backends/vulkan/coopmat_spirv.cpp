#include "backends/vulkan/coopmat_spirv.h"

#include <fmt/format.h>

#include <cstring>
#include <map>
#include <string>

#include "core/error.h"

namespace specgap::vulkan {
namespace {

// Opcodes and enumerants from the SPIR-V registry (spirv.core.grammar.json).
enum Op : uint32_t {
  OpName = 5,
  OpExtension = 10,
  OpCapability = 17,
  OpTypeInt = 21,
  OpConstantTrue = 41,
  OpConstantFalse = 42,
  OpConstant = 43,
  OpTypeCooperativeMatrixKHR = 4456,
  OpCooperativeMatrixLoadKHR = 4457,
  OpCooperativeMatrixStoreKHR = 4458,
  OpCooperativeMatrixMulAddKHR = 4459,
  OpTypeCooperativeMatrixNV = 5358,
  OpCooperativeMatrixLoadNV = 5359,
  OpCooperativeMatrixStoreNV = 5360,
  OpCooperativeMatrixMulAddNV = 5361,
  OpCooperativeMatrixLengthNV = 5362,
};
constexpr uint32_t kCapabilityNV = 5357, kCapabilityKHR = 6022;
constexpr uint32_t kMagic = 0x07230203, kHeaderWords = 5;
// CooperativeMatrixOperands: the A, B, C and result components are signed integers.
constexpr uint32_t kAllSigned = 0x1 | 0x2 | 0x4 | 0x8;

std::string literal_string(std::span<const uint32_t> words) {
  std::string s(words.size() * 4, '\0');
  std::memcpy(s.data(), words.data(), s.size());
  return s.substr(0, s.find('\0'));
}

std::vector<uint32_t> string_words(const std::string& s) {
  std::vector<uint32_t> w(s.size() / 4 + 1, 0);  // always a terminating zero byte
  std::memcpy(w.data(), s.data(), s.size());
  return w;
}

[[noreturn]] void fail(const std::string& why) {
  throw Error("cooperative-matrix shader: " + why);
}

struct Instruction {
  uint32_t opcode;
  std::span<const uint32_t> operands;  // the words after the first
};

std::vector<Instruction> instructions(std::span<const uint32_t> module) {
  if (module.size() < kHeaderWords || module[0] != kMagic) fail("not a SPIR-V module");
  std::vector<Instruction> out;
  for (size_t at = kHeaderWords; at < module.size();) {
    const uint32_t count = module[at] >> 16;
    if (count == 0 || at + count > module.size()) fail(fmt::format("instruction at word {} runs past the module", at));
    out.push_back({module[at] & 0xffffu, module.subspan(at + 1, count - 1)});
    at += count;
  }
  return out;
}

}  // namespace

std::vector<uint32_t> cooperative_matrix_nv_to_khr(std::span<const uint32_t> nv) {
  const auto all = instructions(nv);

  // What the rewrite looks up: names, 32-bit integer constants (value -> id, declared so far), the
  // boolean constants, and which matrix types have signed integer components.
  std::map<uint32_t, std::string> names;
  std::map<uint32_t, bool> int32_types, signed_int_types, bools;
  for (const Instruction& in : all) {
    if (in.opcode == OpName && in.operands.size() >= 2) names[in.operands[0]] = literal_string(in.operands.subspan(1));
    if (in.opcode == OpTypeInt && in.operands.size() == 3) {
      if (in.operands[1] == 32) int32_types[in.operands[0]] = true;
      signed_int_types[in.operands[0]] = in.operands[2] == 1;
    }
    if ((in.opcode == OpConstantTrue || in.opcode == OpConstantFalse) && in.operands.size() == 2)
      bools[in.operands[1]] = in.opcode == OpConstantTrue;
  }

  std::vector<uint32_t> out(nv.begin(), nv.begin() + kHeaderWords);
  auto emit = [&](uint32_t opcode, std::initializer_list<std::span<const uint32_t>> parts) {
    size_t count = 1;
    for (auto p : parts) count += p.size();
    out.push_back(uint32_t(count) << 16 | opcode);
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  };
  std::map<uint32_t, uint32_t> constant_ids;  // value -> id of a 32-bit integer constant seen so far
  auto constant = [&](uint32_t value, const char* what) {
    const auto it = constant_ids.find(value);
    if (it == constant_ids.end()) fail(fmt::format("no 32-bit integer constant {} precedes the first {}", value, what));
    return it->second;
  };
  auto layout = [&](uint32_t column_major_id) {
    const auto it = bools.find(column_major_id);
    if (it == bools.end()) fail("a load or store's column-major operand is not a boolean constant");
    return constant(it->second ? 1u : 0u, "load or store");  // RowMajorKHR 0, ColumnMajorKHR 1
  };
  bool any_signed = false, rewrote = false;

  for (const Instruction& in : all) {
    const auto ops = in.operands;
    switch (in.opcode) {
      case OpConstant:
        if (ops.size() == 3 && int32_types.count(ops[0])) constant_ids.emplace(ops[2], ops[1]);
        emit(in.opcode, {ops});
        break;
      case OpCapability:
        emit(in.opcode, {ops.size() == 1 && ops[0] == kCapabilityNV ? std::span<const uint32_t>(&kCapabilityKHR, 1) : ops});
        break;
      case OpExtension: {
        const std::string name = literal_string(ops);
        const auto words = string_words(name == "SPV_NV_cooperative_matrix" ? "SPV_KHR_cooperative_matrix" : name);
        emit(in.opcode, {words});
        break;
      }
      case OpTypeCooperativeMatrixNV: {
        if (ops.size() != 5) fail("OpTypeCooperativeMatrixNV with other than 5 operands");
        const auto name = names.find(ops[0]);
        const std::string use = name == names.end() ? "" : name->second;
        uint32_t value;
        if (use == "matrix_a") value = 0;
        else if (use == "matrix_b") value = 1;
        else if (use == "accumulator") value = 2;
        else fail(fmt::format("matrix type %{} is named neither matrix_a, matrix_b nor accumulator", ops[0]));
        if (signed_int_types.count(ops[1]) && signed_int_types[ops[1]]) any_signed = true;
        const uint32_t use_id = constant(value, "matrix type");
        emit(OpTypeCooperativeMatrixKHR, {ops, std::span<const uint32_t>(&use_id, 1)});
        rewrote = true;
        break;
      }
      case OpCooperativeMatrixLoadNV: {  // result type, result, pointer, stride, column major [, access]
        if (ops.size() < 5) fail("OpCooperativeMatrixLoadNV with fewer than 5 operands");
        const uint32_t head[] = {ops[0], ops[1], ops[2], layout(ops[4]), ops[3]};
        emit(OpCooperativeMatrixLoadKHR, {head, ops.subspan(5)});
        break;
      }
      case OpCooperativeMatrixStoreNV: {  // pointer, object, stride, column major [, access]
        if (ops.size() < 4) fail("OpCooperativeMatrixStoreNV with fewer than 4 operands");
        const uint32_t head[] = {ops[0], ops[1], layout(ops[3]), ops[2]};
        emit(OpCooperativeMatrixStoreKHR, {head, ops.subspan(4)});
        break;
      }
      case OpCooperativeMatrixMulAddNV: {  // result type, result, a, b, c
        if (ops.size() != 5) fail("OpCooperativeMatrixMulAddNV with other than 5 operands");
        // NV reads signedness from the component types; KHR from this operand. The shaders multiply
        // one operand type into one accumulator type, so one flag set serves every multiply-add.
        const uint32_t flags = any_signed ? kAllSigned : 0;
        emit(OpCooperativeMatrixMulAddKHR, {ops, std::span<const uint32_t>(&flags, any_signed ? 1 : 0)});
        break;
      }
      case OpCooperativeMatrixLengthNV: fail("OpCooperativeMatrixLengthNV is not rewritten");
      default: emit(in.opcode, {ops});
    }
  }
  if (!rewrote) fail("the module declares no cooperative-matrix type");
  return out;
}

}  // namespace specgap::vulkan
