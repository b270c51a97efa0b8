// specgap gguf FILE: what a GGUF file holds (header, metadata, tensors, totals per type), after the
// reader's full check of the file. Measures nothing, so it records no run.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "core/units.h"
#include "llm/gguf_reader.h"

namespace specgap::cli {
namespace {

using llm::GgufArray;
using llm::GgufFile;
using llm::GgufKv;
using llm::GgufScalar;
using llm::GgufValueType;

constexpr size_t kArrayHead = 4;       // array elements shown in the text table
constexpr size_t kJsonArrayHead = 8;   // and in JSON
constexpr size_t kStringShown = 60;    // characters of a long string shown in the text table

// Control bytes, quotes and backslashes escaped, cut after `max` bytes: one line whatever the file holds.
std::string escaped(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') out += std::string("\\") + char(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += char(c);
  }
  return out;
}

std::string quoted(std::string_view s, size_t max) {
  std::string out = "\"" + escaped(s, max) + "\"";
  if (s.size() > max) out += fmt::format("... ({} bytes)", s.size());
  return out;
}

std::string scalar_text(const GgufScalar& v) {
  switch (v.type) {
    case GgufValueType::boolean: return v.bits ? "true" : "false";
    case GgufValueType::f32: {
      float f;
      const auto b = uint32_t(v.bits);
      std::memcpy(&f, &b, 4);
      return fmt::format("{}", f);  // shortest text that reads back as the same float
    }
    case GgufValueType::f64: return fmt::format("{}", *v.to_double());
    case GgufValueType::u64: return std::to_string(v.bits);
    default: return std::to_string(*v.to_int());
  }
}

nlohmann::json scalar_json(const GgufScalar& v) {
  switch (v.type) {
    case GgufValueType::boolean: return v.bits != 0;
    case GgufValueType::f32: case GgufValueType::f64: return *v.to_double();  // NaN and Inf become null
    case GgufValueType::u64: return v.bits;
    default: return *v.to_int();
  }
}

std::string type_text(const GgufKv& kv) {
  if (kv.type != GgufValueType::array) return std::string(to_string(kv.type));
  return fmt::format("[{} x {}]", to_string(kv.array.type), kv.array.count);
}

std::string value_text(const GgufKv& kv) {
  if (kv.type == GgufValueType::string) return quoted(kv.string, kStringShown);
  if (kv.type != GgufValueType::array) return scalar_text(kv.scalar);
  const GgufArray& a = kv.array;
  std::string out;
  for (uint64_t i = 0; i < a.count && i < kArrayHead; ++i) {
    if (i) out += ", ";
    out += a.type == GgufValueType::string ? quoted(a.string_at(i), 32) : scalar_text(a.element(i));
  }
  if (a.count > kArrayHead) out += ", ...";
  return out;
}

nlohmann::json kv_json(const GgufKv& kv) {
  nlohmann::json j = {{"key", kv.key}, {"type", to_string(kv.type)}};
  if (kv.type == GgufValueType::string) {
    j["value"] = std::string(kv.string);
  } else if (kv.type == GgufValueType::array) {
    const GgufArray& a = kv.array;
    j["element_type"] = to_string(a.type);
    j["count"] = a.count;
    auto head = nlohmann::json::array();
    for (uint64_t i = 0; i < a.count && i < kJsonArrayHead; ++i)
      head.push_back(a.type == GgufValueType::string ? nlohmann::json(std::string(a.string_at(i)))
                                                     : scalar_json(a.element(i)));
    j["head"] = head;  // the first elements only
  } else {
    j["value"] = scalar_json(kv.scalar);
  }
  return j;
}

// "1.24 B", "590 M": parameter counts as model cards give them.
std::string count_text(uint64_t n) {
  if (n >= 1'000'000'000) return fmt::format("{:.2f} B", double(n) / 1e9);
  if (n >= 1'000'000) return fmt::format("{:.1f} M", double(n) / 1e6);
  if (n >= 1'000) return fmt::format("{:.1f} K", double(n) / 1e3);
  return std::to_string(n);
}

struct TypeTotal {
  uint64_t tensors = 0, elements = 0, bytes = 0;
};

std::string bits_per_weight(const TypeTotal& t) { return fmt::format("{:.4g}", 8.0 * double(t.bytes) / double(t.elements)); }

report::Table tensor_table(const GgufFile& f) {
  report::Table tensors{"Tensors", {"name", "type", "shape", "elements", "bytes", "file offset"}, {}, {}};
  for (size_t i = 0; i < f.tensors().size(); ++i) {
    const auto& t = f.tensors()[i];
    tensors.rows.push_back({escaped(t.name, 64), std::string(to_string(t.type)), shape_string(t), std::to_string(t.elements()),
                            std::to_string(t.bytes), std::to_string(f.tensor_file_offset(i))});
  }
  if (f.tensors().empty()) tensors.notes.push_back("no tensors (a vocabulary-only file)");
  return tensors;
}

int show(const GgufFile& f, const GlobalOptions& g) {
  if (g.format() == report::Format::csv) {
    // One table a spreadsheet can read: a row per tensor. The header and metadata are in --json.
    std::fputs(report::draw_csv(tensor_table(f)).c_str(), stdout);
    return 0;
  }
  std::map<std::string, TypeTotal> by_type;  // by name: a stable order
  uint64_t parameters = 0, tensor_bytes = 0;
  for (const auto& t : f.tensors()) {
    auto& total = by_type[std::string(to_string(t.type))];
    ++total.tensors;
    total.elements += t.elements();  // each < 2^63; a sum past 2^64 would need exabytes of file
    total.bytes += t.bytes;
    parameters += t.elements();
    tensor_bytes += t.bytes;
  }

  if (g.format() == report::Format::json) {
    nlohmann::json j = {{"file", f.label()},           {"version", f.version()},
                        {"file_bytes", f.file_bytes()}, {"alignment", f.alignment()},
                        {"data_offset", f.data_offset()}, {"kv_count", f.metadata().size()},
                        {"tensor_count", f.tensors().size()}};
    auto metadata = nlohmann::json::array();
    for (const auto& kv : f.metadata()) metadata.push_back(kv_json(kv));
    j["metadata"] = metadata;
    auto tensors = nlohmann::json::array();
    for (size_t i = 0; i < f.tensors().size(); ++i) {
      const auto& t = f.tensors()[i];
      tensors.push_back({{"name", t.name},
                         {"type", to_string(t.type)},
                         {"shape", std::vector<uint64_t>(t.ne.begin(), t.ne.begin() + t.n_dims)},
                         {"elements", t.elements()},
                         {"bytes", t.bytes},
                         {"file_offset", f.tensor_file_offset(i)}});
    }
    j["tensors"] = tensors;
    auto types = nlohmann::json::array();
    for (const auto& [name, t] : by_type)
      types.push_back({{"type", name},
                       {"tensors", t.tensors},
                       {"elements", t.elements},
                       {"bytes", t.bytes},
                       {"bits_per_weight", 8.0 * double(t.bytes) / double(t.elements)}});
    j["totals"] = {{"parameters", parameters}, {"tensor_bytes", tensor_bytes}, {"by_type", types}};
    // Strings in files need not be UTF-8: invalid bytes print as U+FFFD instead of failing.
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }

  std::string out;
  report::Table header{"GGUF " + f.label(), {"field", "value"}, {}, {}};
  header.rows = {{"version", std::to_string(f.version())},
                 {"file size", fmt::format("{} ({} bytes)", format_bytes(f.file_bytes()), f.file_bytes())},
                 {"alignment", std::to_string(f.alignment())},
                 {"data offset", std::to_string(f.data_offset())},
                 {"metadata", fmt::format("{} key{}", f.metadata().size(), f.metadata().size() == 1 ? "" : "s")},
                 {"tensors", std::to_string(f.tensors().size())}};
  if (g.format() == report::Format::text) {
    // Field and value, left-aligned: a table would right-align the numbers away from their units.
    out += header.title + "\n";
    for (const auto& row : header.rows) out += fmt::format(" {:<12} {}\n", row[0], row[1]);
    out += "\n";
  } else {
    out += report::draw(header, g.format()) + "\n";
  }

  report::Table meta{"Metadata", {"key", "type", "value"}, {}, {}};
  for (const auto& kv : f.metadata()) meta.rows.push_back({escaped(kv.key, 256), type_text(kv), value_text(kv)});
  out += report::draw(meta, g.format()) + "\n";

  out += report::draw(tensor_table(f), g.format()) + "\n";

  report::Table totals{"Totals by type", {"type", "tensors", "elements", "bytes", "bits per weight"}, {}, {}};
  for (const auto& [name, t] : by_type)
    totals.rows.push_back({name, std::to_string(t.tensors), std::to_string(t.elements), std::to_string(t.bytes),
                           bits_per_weight(t)});
  totals.notes.push_back(fmt::format("parameters: {} ({}); tensor data: {} ({} bytes)", count_text(parameters),
                                     parameters, format_bytes(tensor_bytes), tensor_bytes));
  out += report::draw(totals, g.format());
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

Command add_gguf_command(CLI::App& app, GlobalOptions& g) {
  auto path = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("gguf", "check a GGUF model file and show its metadata and tensors");
  sub->add_option("file", *path, "the .gguf file")->required();
  return {sub, [path, &g] {
            return show(GgufFile::open(*path), g);
          }};
}

}  // namespace specgap::cli
