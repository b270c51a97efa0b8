#pragma once
// The catalog: reference systems as data (data/catalog/*.toml, one system a file), every figure with
// its source. A spec-sheet claim and a published measurement are different things and stay apart:
// claims are what a vendor says (dense unless marked sparse), measurements what someone ran, with the
// tool and its parameters. Files are validated as they load: an unknown table or key, a missing source,
// a unit that does not fit the figure, or a wrong type is an error naming the file and line.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace specgap::catalog {

// One figure: a claim, a derived figure (arithmetic on claims) or a published measurement. The fields
// every kind shares are typed; the rest of the row (memory_type, clock_assumption, params, tool, ...)
// is kept as it was written, in `detail`.
struct Figure {
  std::string what;                  // compute, memory_bandwidth, llm_tg, ...
  std::optional<std::string> dtype;  // fp64 ... fp4, int8
  double value = 0;
  std::string unit;
  bool sparse = false;               // counts 2:4 structured sparsity
  std::string source;                // an address, or a sentence where none was checked
  std::string verified;              // read, recalled, secondary, or "" when not said
  std::string device;                // whose figure: cpu, gpu, npu, or cpu+gpu (memory both share); "" for
                                     // a figure that is no device's rate (power, capacity) and says none
  nlohmann::json detail = nlohmann::json::object();
  int line = 0;                      // where it is in its file
};

struct Price {
  double usd = 0;
  std::string date, kind, source, verified;
};

struct System {
  std::string id, name, vendor, kind;  // kind: gpu, apu, cpu, soc
  int year = 0;
  // A device's name as the machine record gives it (the CPU's model name, a GPU's NVML name), whole:
  // `match` in a file is the CPU's names for a cpu and the GPU's for a gpu; an apu or soc, one chip
  // with both, says which with `match_cpu` and `match_gpu`.
  std::vector<std::string> match_cpu, match_gpu;
  std::optional<Price> price;
  std::vector<Price> other_prices;
  std::vector<Figure> claims, derived, measured;
  nlohmann::json cpu = nlohmann::json::object();  // a CPU's inputs for its theoretical peak
  nlohmann::json identity = nlohmann::json::object();  // the rest of [system]
  std::string file;
};

// A figure for a neural engine (AMD's XDNA NPU, Apple's Neural Engine): not the rate of the CPU or GPU
// specgap measures.
bool npu_figure(const Figure& f);

// Whether a figure is for `device` ("cpu", or "gpu" for any GPU): its own, or memory both share.
bool figure_for(const Figure& f, const std::string& device);

// Parses and validates one file. Throws specgap::Error "catalog FILE:LINE: what is wrong".
System load_system(const std::string& path);

// Every *.toml of each folder, in order, sorted by file name within a folder. A later folder's system
// with the id of an earlier one replaces it (a user's file overrides the shipped one). A folder that
// does not exist is an error; an empty one is not.
std::vector<System> load_catalog(const std::vector<std::string>& dirs);

// The shipped catalog's folder: $SPECGAP_CATALOG, else the one in the source tree this was built from.
std::string default_catalog_dir();

}  // namespace specgap::catalog
