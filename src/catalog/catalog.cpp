#include "catalog/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <toml++/toml.h>

#include "core/error.h"

namespace specgap::catalog {
namespace fs = std::filesystem;
namespace {

// The keys each table may hold (shared/reference/catalog/README.md is the schema). A key outside its
// list is a typo or a field no code reads, and is refused rather than silently ignored.
const std::map<std::string, std::set<std::string>>& known_keys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"system", {"id", "name", "vendor", "kind", "year", "match", "match_cpu", "match_gpu", "match_source", "notes",
                  "compute_capability", "cpu", "cuda_cores", "gpu_name_nvidia_smi", "oem_variants", "pci_id",
                  "pci_id_source", "sm_count"}},
      {"price", {"usd", "date", "kind", "note", "source", "verified"}},
      {"cpu", {"cores", "threads", "base_ghz", "boost_ghz", "all_core_turbo_ghz", "l3_mb", "isa", "simd_width_bits",
               "fma_units_per_core", "fp64_flops_per_cycle_per_core", "fp32_flops_per_cycle_per_core",
               "amx_bf16_flops_per_cycle_per_core", "amx_int8_ops_per_cycle_per_core", "memory_channels", "memory_type",
               "memory_mts", "memory_mts_mrdimm", "bytes_per_transfer_per_channel", "pcie", "tdp_w", "note", "source",
               "verified"}},
      {"claim", {"what", "device", "dtype", "value", "unit", "sparse", "sparse_value", "source", "note", "verified",
                 "verified_via", "accumulate", "clock_assumption", "memory_type", "bus_width_bits",
                 "transfer_rate_mts", "formula", "name", "direction", "variant", "gpu", "microarchitecture",
                 "base_ghz", "boost_ghz", "threads", "min_w", "stream_processors", "tensor_cores"}},
      {"derived", {"what", "device", "dtype", "value", "unit", "sparse", "formula", "source", "note", "verified"}},
      {"measured", {"what", "dtype", "variant", "model", "model_file", "quant", "value", "unit", "tool", "tool_version",
                    "params", "context_depth", "gpus", "memory_bandwidth_gbs", "date", "tester", "source", "system_variant", "name", "note",
                    "verified"}},
  };
  return keys;
}

// The units a figure may carry, by what it is.
const std::map<std::string, std::set<std::string>>& units_for() {
  static const std::map<std::string, std::set<std::string>> units = {
      {"compute", {"TFLOP/s", "TOP/s"}},  {"gemm", {"TFLOP/s", "TOP/s"}},   {"memory_bandwidth", {"GB/s"}},
      {"memory_capacity", {"GB"}},        {"interconnect", {"GB/s"}},       {"network", {"Gb/s"}},
      {"power", {"W"}},                   {"power_draw", {"W"}},            {"cuda_cores", {"count"}},
      {"gpu_cores", {"count"}},           {"cpu_cores", {"count"}},         {"gpu_compute_units", {"CU"}},
      {"cache", {"MiB"}},                 {"llm_pp", {"tokens/s"}},         {"llm_tg", {"tokens/s"}},
  };
  return units;
}

const std::set<std::string> kDtypes = {"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp6", "fp4", "int8", "int4"};
const std::set<std::string> kVerified = {"read", "recalled", "secondary"};
const std::set<std::string> kKinds = {"gpu", "apu", "cpu", "soc"};

// The devices a system of each kind has, and so the devices its figures may be for. An apu or soc is
// one chip with a CPU and a GPU (and often an NPU) sharing one memory.
const std::map<std::string, std::set<std::string>> kDevicesOfKind = {
    {"cpu", {"cpu", "npu"}}, {"gpu", {"gpu"}}, {"apu", {"cpu", "gpu", "npu", "cpu+gpu"}},
    {"soc", {"cpu", "gpu", "npu", "cpu+gpu"}}};

// Figures specgap holds against its own measurements: on a chip with several devices each must say whose it is.
bool held_against_measurements(const std::string& what) { return what == "compute" || what == "memory_bandwidth"; }

class FileError {
 public:
  explicit FileError(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(const toml::node& at, const std::string& what) const {
    throw Error(fmt::format("catalog {}:{}: {}", file_, at.source().begin.line, what));
  }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

nlohmann::json to_json(const toml::node& n) {
  if (auto s = n.as_string()) return s->get();
  if (auto i = n.as_integer()) return i->get();
  if (auto f = n.as_floating_point()) return f->get();
  if (auto b = n.as_boolean()) return b->get();
  if (auto a = n.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (auto& e : *a) out.push_back(to_json(e));
    return out;
  }
  if (auto t = n.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto& [k, v] : *t) out[std::string(k.str())] = to_json(v);
    return out;
  }
  return nullptr;
}

// Reads one table's fields with their types checked; each read key is marked, and the keys left over
// are checked against the table's known list.
class Row {
 public:
  Row(const toml::table& t, std::string name, const FileError& err) : t_(t), name_(std::move(name)), err_(err) {
    const auto& known = known_keys().at(name_);
    for (auto& [k, v] : t_)
      if (!known.count(std::string(k.str())))
        err_.fail(v, fmt::format("[{}] has an unknown key '{}'", name_, k.str()));
  }
  std::optional<std::string> text(const char* key, bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) err_.fail(t_, fmt::format("[{}] lacks '{}'", name_, key));
      return std::nullopt;
    }
    if (!n->is_string()) err_.fail(*n, fmt::format("[{}] '{}' must be a string", name_, key));
    return n->as_string()->get();
  }
  std::optional<double> number(const char* key, bool required = false) const {
    const toml::node* n = t_.get(key);
    if (!n) {
      if (required) err_.fail(t_, fmt::format("[{}] lacks '{}'", name_, key));
      return std::nullopt;
    }
    if (auto i = n->as_integer()) return double(i->get());
    if (auto f = n->as_floating_point()) return f->get();
    err_.fail(*n, fmt::format("[{}] '{}' must be a number", name_, key));
  }
  bool flag(const char* key) const {
    const toml::node* n = t_.get(key);
    if (!n) return false;
    if (!n->is_boolean()) err_.fail(*n, fmt::format("[{}] '{}' must be true or false", name_, key));
    return n->as_boolean()->get();
  }
  std::string verified() const {
    const auto v = text("verified").value_or("");
    if (!v.empty() && !kVerified.count(v))
      err_.fail(*t_.get("verified"), fmt::format("[{}] verified = '{}': not read, recalled or secondary", name_, v));
    return v;
  }
  int line() const { return int(t_.source().begin.line); }
  const toml::table& table() const { return t_; }

 private:
  const toml::table& t_;
  std::string name_;
  const FileError& err_;
};

Figure figure(const Row& r, const std::string& table, bool needs_source, const FileError& err) {
  Figure f;
  f.what = *r.text("what", true);
  f.value = *r.number("value", true);
  f.unit = *r.text("unit", true);
  const auto units = units_for().find(f.what);
  if (units == units_for().end())
    err.fail(r.table(), fmt::format("[[{}]] what = '{}': not a kind of figure the catalog knows", table, f.what));
  if (!units->second.count(f.unit))
    err.fail(*r.table().get("unit"),
             fmt::format("[[{}]] {} in '{}': expected {}", table, f.what, f.unit, fmt::join(units->second, " or ")));
  f.dtype = r.text("dtype");
  if (f.dtype && !kDtypes.count(*f.dtype))
    err.fail(*r.table().get("dtype"), fmt::format("[[{}]] dtype '{}': not one of {}", table, *f.dtype, fmt::join(kDtypes, " ")));
  f.sparse = r.flag("sparse");
  f.source = r.text("source").value_or("");
  if (needs_source && f.source.empty()) err.fail(r.table(), fmt::format("[[{}]] {} has no source", table, f.what));
  if (table == "derived" && !r.text("formula")) err.fail(r.table(), "[[derived]] has no formula");
  f.verified = r.verified();
  for (auto& [k, v] : r.table()) {
    const std::string key(k.str());
    if (key != "what" && key != "value" && key != "unit" && key != "dtype" && key != "sparse" && key != "source" &&
        key != "verified" && key != "device")
      f.detail[key] = to_json(v);
  }
  f.line = r.line();
  return f;
}

// Whose figure a claim or derived figure is: as it says, else the one device a cpu or gpu has.
std::string device_of(const Row& r, const Figure& f, const std::string& table, const std::string& kind,
                      const FileError& err) {
  const auto& allowed = kDevicesOfKind.at(kind);
  if (const auto said = r.text("device")) {
    if (!allowed.count(*said))
      err.fail(*r.table().get("device"),
               fmt::format("[[{}]] device = '{}': not one of this {}'s: {}", table, *said, kind, fmt::join(allowed, ", ")));
    return *said;
  }
  if (kind == "cpu" || kind == "gpu") return kind;
  if (held_against_measurements(f.what))
    err.fail(r.table(), fmt::format("[[{}]] {} on an {} must say whose it is: device = {}", table, f.what, kind,
                                    fmt::join(allowed, ", ")));
  return "";
}

std::vector<std::string> names(const toml::node& m, const char* key, const FileError& err) {
  const auto* arr = m.as_array();
  if (!arr) err.fail(m, fmt::format("[system] '{}' must be a list of strings", key));
  std::vector<std::string> out;
  for (auto& e : *arr) {
    if (!e.is_string()) err.fail(e, fmt::format("[system] '{}' must be a list of strings", key));
    out.push_back(e.as_string()->get());
  }
  return out;
}

Price price(const Row& r) {
  Price p;
  p.usd = *r.number("usd", true);
  p.date = *r.text("date", true);
  p.kind = r.text("kind").value_or("");
  p.source = *r.text("source", true);
  p.verified = r.verified();
  return p;
}

// The rows of an array of tables, each a table.
std::vector<const toml::table*> rows(const toml::node& n, const std::string& name, const FileError& err) {
  std::vector<const toml::table*> out;
  const auto* arr = n.as_array();
  if (!arr) err.fail(n, fmt::format("'{}' must be written [[{}]]: a list of tables", name, name));
  for (auto& e : *arr) {
    if (!e.is_table()) err.fail(e, fmt::format("[[{}]]: every entry must be a table", name));
    out.push_back(e.as_table());
  }
  return out;
}

}  // namespace

System load_system(const std::string& path) {
  const FileError err(path);
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("catalog {}:{}: {}", path, e.source().begin.line, e.description()));
  }
  static const std::set<std::string> kTables = {"system", "price", "price_alt", "cpu", "claim", "derived", "measured"};
  for (auto& [k, v] : doc)
    if (!kTables.count(std::string(k.str()))) err.fail(v, fmt::format("unknown table '{}'", k.str()));
  const toml::table* system = doc["system"].as_table();
  if (!system) throw Error(fmt::format("catalog {}: no [system] table", path));

  System s;
  s.file = path;
  const Row sys(*system, "system", err);
  s.id = *sys.text("id", true);
  if (s.id != fs::path(path).stem().string())
    err.fail(*system->get("id"), fmt::format("id '{}' differs from the file's name '{}'", s.id, fs::path(path).stem().string()));
  s.name = *sys.text("name", true);
  s.vendor = sys.text("vendor").value_or("");
  s.kind = *sys.text("kind", true);
  if (!kKinds.count(s.kind)) err.fail(*system->get("kind"), fmt::format("kind '{}': not gpu, apu, cpu or soc", s.kind));
  s.year = int(sys.number("year").value_or(0));
  // A name is one device's: `match` says whose by the kind; a chip with both devices must say.
  const bool one_device = s.kind == "cpu" || s.kind == "gpu";
  if (const toml::node* m = system->get("match")) {
    if (!one_device)
      err.fail(*m, fmt::format("[system] an {} has a CPU and a GPU: name them with match_cpu and match_gpu", s.kind));
    (s.kind == "cpu" ? s.match_cpu : s.match_gpu) = names(*m, "match", err);
  }
  for (const auto& [key, into, device] : {std::tuple{"match_cpu", &s.match_cpu, "cpu"}, {"match_gpu", &s.match_gpu, "gpu"}})
    if (const toml::node* m = system->get(key)) {
      if (one_device && s.kind != device) err.fail(*m, fmt::format("[system] a {} has no {}: '{}'", s.kind, device, key));
      *into = names(*m, key, err);
    }
  for (auto& [k, v] : *system) {
    const std::string key(k.str());
    if (key != "id" && key != "name" && key != "vendor" && key != "kind" && key != "year" && key != "match" &&
        key != "match_cpu" && key != "match_gpu")
      s.identity[key] = to_json(v);
  }
  if (const toml::node* p = doc.get("price")) {
    if (!p->is_table()) err.fail(*p, "'price' must be a table");
    s.price = price(Row(*p->as_table(), "price", err));
  }
  if (const toml::node* p = doc.get("price_alt"))
    for (const auto* t : rows(*p, "price_alt", err)) s.other_prices.push_back(price(Row(*t, "price", err)));
  if (const toml::node* c = doc.get("cpu")) {
    if (!c->is_table()) err.fail(*c, "'cpu' must be a table");
    Row(*c->as_table(), "cpu", err);  // checks the keys
    s.cpu = to_json(*c);
  }
  for (auto [table, into, needs_source] : {std::tuple{"claim", &s.claims, true}, {"derived", &s.derived, false}})
    if (const toml::node* n = doc.get(table))
      for (const auto* t : rows(*n, table, err)) {
        const Row row(*t, table, err);
        Figure f = figure(row, table, needs_source, err);
        f.device = device_of(row, f, table, s.kind, err);
        into->push_back(std::move(f));
      }
  if (const toml::node* n = doc.get("measured"))
    for (const auto* t : rows(*n, "measured", err))
      s.measured.push_back(figure(Row(*t, "measured", err), "measured", true, err));
  return s;
}

std::vector<System> load_catalog(const std::vector<std::string>& dirs) {
  std::vector<System> systems;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(fmt::format("catalog folder {} does not exist", dir));
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".toml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) {
      System s = load_system(f.string());
      auto same = std::find_if(systems.begin(), systems.end(), [&](const System& o) { return o.id == s.id; });
      if (same != systems.end()) *same = std::move(s);
      else systems.push_back(std::move(s));
    }
  }
  return systems;
}

std::string default_catalog_dir() {
  const char* env = std::getenv("SPECGAP_CATALOG");
  return env && *env ? env : SPECGAP_CATALOG_DIR;
}

bool npu_figure(const Figure& f) { return f.device == "npu"; }

bool figure_for(const Figure& f, const std::string& device) { return f.device == device || f.device == "cpu+gpu"; }

}  // namespace specgap::catalog
