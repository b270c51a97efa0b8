#include "report/ranking_table.h"

#include <fmt/format.h>

#include "report/render.h"

namespace specgap::report {
namespace {
std::string num(const std::optional<double>& v) { return v ? format_value(*v) : "-"; }
}  // namespace

Table ranking_table(const analysis::Ranking& r) {
  Table t{fmt::format("Ranking for {} {} (pp{:.0f} / tg{:.0f}): decode tokens/s, fitting systems first", r.model, r.quant,
                      r.workload.prompt, r.workload.generate),
          {"#", "system", "kind", "decode t/s", "prefill t/s", "source", "published t/s", "t/s per $1000", "t/s per W",
           "fits"},
          {},
          {}};
  int rank = 0;
  for (const auto& row : r.rows) {
    t.rows.push_back({std::to_string(++rank), (row.this_machine ? "> " : "") + row.name, row.kind, num(row.decode_tps),
                      num(row.prefill_tps), row.source, num(row.published_decode_tps), num(row.decode_per_kusd()),
                      num(row.decode_per_watt()), row.fits ? (*row.fits ? "yes" : "no") : "?"});
  }
  t.notes.push_back("projection: catalog bandwidth and dense compute claims x the efficiency other systems of the same kind "
                    "reached in published llama.cpp runs (specgap predict --check shows its error)");
  t.notes.push_back("published: a llama.cpp figure for exactly this model and quant at depth 0, where the catalog has one");
  t.notes.push_back("per $: list price in the catalog (date in specgap catalog ID); per W: the catalog's TDP or board power claim");
  return t;
}

}  // namespace specgap::report
