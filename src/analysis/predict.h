#pragma once
// Projections of LLM throughput: prefill and decode tokens/s and time to first token for a model on a
// machine, from what a token costs (model_cost.h) and the machine's ceilings (memory bandwidth, dense
// compute). One efficiency model for every system of a kind: the fraction of the ceiling that
// published llama.cpp runs on *other* systems of that kind reached (median), so a system's own
// published figures never tune its projection and a test can hold the projection against them.
// Everything here is labelled a projection wherever it is shown.
#include <optional>
#include <string>
#include <vector>

#include "analysis/model_cost.h"
#include "catalog/catalog.h"

namespace specgap::analysis {

// The ceilings a projection needs, from a catalog system's claims or from this machine's measurements.
struct Ceilings {
  std::string id, name;
  std::string kind;                     // gpu, apu or cpu (a soc shares one memory as an apu does)
  double bandwidth_gbs = 0;             // per device
  std::optional<double> compute_tflops; // the dense rate prefill runs at (below)
  std::string compute_dtype;            // which claim that is: bf16, fp16 (fp32 accumulate), fp32
  std::optional<double> capacity_gb;    // per device
  int devices = 1;                      // identical devices splitting the layers (llama.cpp's default)
  std::optional<double> price_usd;      // per device
  std::optional<double> watts;          // per device: the TDP or board power claim
  std::string basis;                    // where the figures come from, in words
};

// nullopt when the system has no memory bandwidth claim.
std::optional<Ceilings> catalog_ceilings(const catalog::System& s, int devices = 1);
std::string kind_group(const std::string& kind);

// llama-bench's shape of a test: pp<prompt>, tg<generate>, at <depth> positions already cached.
struct Workload {
  double prompt = 512, generate = 128, depth = 0;
};

// A published LLM figure specgap can hold a projection against (model shape and quant known).
struct PublishedRun {
  std::string system_id, kind, what;  // what: llm_tg or llm_pp
  ModelCost cost;
  Workload workload;
  double value = 0;                   // tokens/s
  int devices = 1;
  std::optional<double> bandwidth_gbs;  // the tested box's own, where it differs from the system's claim
  bool llama_cpp = false;             // measured with llama.cpp (llama-bench or a harness over it)
  bool quant_assumed = false;         // the source did not name the quant: default_quant() taken
  std::string tool, params, source;
  int line = 0;
};
std::vector<PublishedRun> published_runs(const std::vector<catalog::System>& catalog);

// The fraction of its ceiling a published run reached: decode against bandwidth, prefill against compute.
std::optional<double> run_efficiency(const PublishedRun& run, const Ceilings& c);

struct Efficiency {
  double value = 0;
  int runs = 0;       // how many published runs the median is over
  std::string basis;  // which runs, in words
};
// Decode ("llm_tg") or prefill ("llm_pp") efficiency for systems of `kind`, from llama.cpp runs on
// systems of that kind other than `exclude_id`; falling back to any tool on that kind, then to
// llama.cpp runs on every kind. nullopt when no run qualifies.
std::optional<Efficiency> kind_efficiency(const std::vector<catalog::System>& catalog, const std::string& kind,
                                          const std::string& what, const std::string& exclude_id);

struct Projection {
  std::optional<double> decode_tps, prefill_tps, ttft_s;
  double decode_bytes = 0, token_flops = 0;      // per token at the workload's mean context
  double decode_ceiling_tps = 0;                 // bandwidth / bytes: no machine decodes faster
  std::optional<double> prefill_ceiling_tps;     // compute / FLOPs
  std::optional<bool> fits;                      // nullopt: the capacity is not known
  double needs_gb = 0;                           // weights + KV cache of the whole context
  std::string note;
};
Projection project(const ModelCost& cost, const Ceilings& c, const Workload& w, const std::optional<Efficiency>& decode,
                   const std::optional<Efficiency>& prefill);

// Every published run held against the projection for its system at its workload, the system's own
// runs left out of the efficiency (see kind_efficiency): the model's error, one row per run.
struct ProjectionCheck {
  PublishedRun run;
  std::string system_name;
  std::optional<double> projected;
  std::optional<double> error;  // projected / published - 1
};
std::vector<ProjectionCheck> check_projections(const std::vector<catalog::System>& catalog);

}  // namespace specgap::analysis
