#pragma once
// The LLM suite's view: a llama-bench-style throughput table (model, size, parameters, threads, test,
// tokens/s), and the figures that explain the rates (bytes and bandwidth per generated token, FLOPs
// per prompt token, TTFT and TPOT).
#include <vector>

#include "core/result.h"
#include "report/table.h"

namespace specgap::report {

Table llm_table(const std::vector<const Result*>& results);
Table llm_explain_table(const std::vector<const Result*>& results);

}  // namespace specgap::report
