// specgap llm: prefill and decode throughput of a Llama model, measured as llama-bench measures
// them, on a GGUF file (--model) or a preset with random weights of a real model's shapes.
#include "cli/cmd_llm.h"

#include <fmt/format.h>

#include <algorithm>

#include "backends/cpu/thread_team.h"
#include "cli/app.h"
#include "cli/session.h"
#include "core/error.h"
#include "core/units.h"
#include "llm/engine.h"
#include "llm/presets.h"
#include "llm/tensor_source.h"
#include "suites/llm/llm_bench.h"
#include "suites/memory/plan.h"

namespace specgap::cli {
namespace {
std::string joined_presets() {
  std::string s;
  for (auto& n : llm::preset_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

suites::LlmConfig plan_llm(const LlmOptions& o, const Machine& m) {
  suites::LlmConfig c;
  const int threads = o.threads > 0 ? o.threads : std::max(1, int(m.cpu.core_pus.size()));
  c.cpus = suites::pick_cpus(m.cpu, threads);
  c.model_path = o.model;
  if (o.model.empty()) {
    const auto preset = llm::find_preset(o.preset);
    if (!preset) throw UsageError("--preset " + o.preset + ": unknown (" + joined_presets() + ")");
    const auto q = o.quant.empty() ? llm::default_preset_quant(*preset) : llm::parse_preset_quant(o.quant);
    if (!q) throw UsageError("--quant " + o.quant + ": not a preset quantisation (f32 f16 bf16 q8_0 q4_0 q4_k q6_k mxfp4)");
    if (const std::string why = llm::preset_quant_refusal(*preset, *q); !why.empty()) throw UsageError("--quant: " + why);
    c.preset = o.preset;
    c.quant = *q;
  }
  c.seed = o.seed;
  c.n_prompt = o.n_prompt;
  c.n_gen = o.n_gen;
  c.depth = o.depth;
  c.ubatch = o.ubatch;
  c.reps = o.reps;
  c.request = !o.no_request;
  c.read_bandwidth = !o.no_bandwidth;
  c.bandwidth_bytes = suites::default_array_bytes(m);
  c.allow_swap = o.allow_swap;
  c.available_memory = m.memory.available_bytes;
  if (!o.kernels.empty()) {
    const auto isas = llm::kernel_isas();
    if (std::find(isas.begin(), isas.end(), o.kernels) == isas.end())
      throw UsageError(fmt::format("--kernels {}: this CPU runs {}", o.kernels, fmt::join(isas, ", ")));
    c.kernels = o.kernels;
  }
  if (c.n_prompt == 0 && c.n_gen == 0) throw UsageError("-p 0 and -n 0: nothing to measure");
  return c;
}

namespace {

int write_preset(const LlmOptions& o, const suites::LlmConfig& c) {
  if (!o.model.empty()) throw UsageError("--write writes a preset; it does not take --model");
  cpu::ThreadTeam team(c.cpus);
  llm::PresetSource source(*llm::find_preset(c.preset), c.quant, c.seed, llm::parallel_on(team));
  if (c.available_memory && source.total_bytes() > c.available_memory && !c.allow_swap)
    throw Error(fmt::format("--write: {} takes {} but {} is available", source.description(),
                            format_bytes(source.total_bytes()), format_bytes(c.available_memory)));
  llm::write_preset_gguf(source, o.write);
  fmt::print("wrote {}: {} ({})\n", o.write, source.description(), format_bytes(source.total_bytes()));
  return kExitOk;
}

int print_greedy(const LlmOptions& o, const suites::LlmConfig& c, report::Format format) {
  if (o.prompt_tokens.empty()) throw UsageError("--greedy needs --prompt-tokens (token ids, comma-separated)");
  const auto steps = suites::greedy_tokens(c, o.prompt_tokens, o.greedy);
  std::vector<int32_t> tokens;
  for (const auto& s : steps) tokens.push_back(s.token);
  if (format != report::Format::json) {
    fmt::print("{}\n", fmt::join(tokens, " "));
    return kExitOk;
  }
  nlohmann::json top = nlohmann::json::array();
  for (const auto& s : steps) {
    nlohmann::json step = nlohmann::json::array();
    for (const auto& [id, logit] : s.top) step.push_back({{"id", id}, {"logit", logit}});
    top.push_back(step);
  }
  fmt::print("{}\n", nlohmann::json{{"prompt_tokens", o.prompt_tokens}, {"greedy_tokens", tokens}, {"top_logits", top}}.dump());
  return kExitOk;
}
}  // namespace

Command add_llm_command(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<LlmOptions>();
  auto* sub = app.add_subcommand("llm", "LLM prefill and decode throughput (llama-bench's pp/tg), TTFT and TPOT");
  sub->add_option("--model,-m", o->model, "a GGUF file (Llama or GPT-OSS architecture); default: a preset with random weights")
      ->check(CLI::ExistingFile);
  sub->add_option("--preset", o->preset, "model shape: " + joined_presets() + " (default llama-3.2-1b)");
  sub->add_option("--quant", o->quant, "preset quantisation: f32 f16 bf16 q8_0 q4_0 q4_k(_m) q6_k mxfp4 (default q4_0; gpt-oss: mxfp4, ggml-org's layout)");
  sub->add_option("-p,--n-prompt", o->n_prompt, "prompt tokens (pp test; 0 skips it; default 512)")->check(CLI::Range(0, 1 << 20));
  sub->add_option("-n,--n-gen", o->n_gen, "generated tokens (tg test; 0 skips it; default 128)")->check(CLI::Range(0, 1 << 20));
  sub->add_option("-d,--depth", o->depth, "tokens already in the KV cache before each test (default 0)")->check(CLI::Range(0, 1 << 20));
  sub->add_option("-r,--repetitions", o->reps, "repetitions of each test (default 5)")->check(CLI::Range(1, 1000));
  sub->add_option("-t,--threads", o->threads, "pinned threads, one per core (default: all physical cores)")->check(CLI::Range(1, 4096));
  sub->add_option("--ubatch", o->ubatch, "tokens per forward call in prompt processing (default 512)")->check(CLI::Range(1, 8192));
  sub->add_option("--seed", o->seed, "seed of the random weights and tokens (default 1)");
  sub->add_option("--write", o->write, "write the preset as a GGUF file and stop");
  sub->add_flag("--no-request", o->no_request, "skip the TTFT/TPOT request");
  sub->add_flag("--no-bandwidth", o->no_bandwidth, "skip the read-bandwidth samples beside the decode repetitions");
  sub->add_flag("--allow-swap", o->allow_swap, "run a model even when it does not fit in available memory");
  sub->add_option("--kernels", o->kernels, fmt::format("run the kernels of this ISA instead of its fastest, to measure another path on the same machine (this CPU: {})", fmt::join(llm::kernel_isas(), ", ")));
  sub->add_option("--greedy", o->greedy, "print N greedy tokens after --prompt-tokens and stop (a check against another engine; nothing is timed)")
      ->check(CLI::Range(1, 1 << 20));
  sub->add_option("--prompt-tokens", o->prompt_tokens, "prompt token ids for --greedy, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(0, INT32_MAX));
  return {sub, [o, &g] {
            const Machine m = probe_machine();
            const suites::LlmConfig c = plan_llm(*o, m);
            if (!o->write.empty()) return write_preset(*o, c);
            if (o->greedy > 0) return print_greedy(*o, c, g.format());
            suites::check_llm_fits(c);
            Session session(g, m);
            return session.run([&](RunSink& sink) { suites::measure_llm(c, sink); });
          }};
}

}  // namespace specgap::cli
