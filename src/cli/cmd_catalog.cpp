// specgap catalog [SYSTEM]: the reference systems specgap holds claims and published measurements for,
// or one of them in full. --catalog DIR adds a folder of the user's own systems (a file with the id
// of a shipped one replaces it).
#include <fmt/format.h>

#include <cstdio>

#include "catalog/catalog.h"
#include "cli/app.h"
#include "cli/catalog_source.h"
#include "core/error.h"
#include "report/render.h"

namespace specgap::cli {
namespace {

nlohmann::json figure_json(const catalog::Figure& f) {
  nlohmann::json j = {{"what", f.what},     {"device", f.device},     {"value", f.value},   {"unit", f.unit},
                      {"sparse", f.sparse}, {"source", f.source},     {"verified", f.verified}, {"detail", f.detail}};
  j["dtype"] = f.dtype ? nlohmann::json(*f.dtype) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json system_json(const catalog::System& s) {
  nlohmann::json j = {{"id", s.id},       {"name", s.name},         {"vendor", s.vendor}, {"kind", s.kind},
                      {"year", s.year},   {"match", {{"cpu", s.match_cpu}, {"gpu", s.match_gpu}}},
                      {"identity", s.identity},
                      {"cpu", s.cpu},     {"file", s.file}};
  j["price"] = s.price ? nlohmann::json{{"usd", s.price->usd}, {"date", s.price->date}, {"kind", s.price->kind},
                                        {"source", s.price->source}}
                       : nlohmann::json(nullptr);
  for (auto [key, figures] : {std::pair{"claims", &s.claims}, {"derived", &s.derived}, {"measured", &s.measured}}) {
    j[key] = nlohmann::json::array();
    for (auto& f : *figures) j[key].push_back(figure_json(f));
  }
  return j;
}

std::string price_text(const catalog::System& s) {
  return s.price ? fmt::format("${:.0f} ({}, {})", s.price->usd, s.price->kind, s.price->date) : "-";
}

// The device names it is recognised by, each with the device it names.
std::string recognised_by(const catalog::System& s) {
  std::vector<std::string> names;
  for (const auto& n : s.match_cpu) names.push_back("CPU " + n);
  for (const auto& n : s.match_gpu) names.push_back("GPU " + n);
  return names.empty() ? "-" : fmt::format("{}", fmt::join(names, "; "));
}

std::string dtype_and_sparsity(const catalog::Figure& f) {
  return f.dtype.value_or("") + (f.sparse ? " sparse" : "");
}

// A measured figure's conditions, as far as the row gives them.
std::string conditions(const catalog::Figure& f) {
  std::string out;
  for (const char* key : {"model", "quant", "params", "tool", "tool_version", "gpus", "context_depth"})
    if (f.detail.contains(key))
      out += (out.empty() ? "" : ", ") + (f.detail[key].is_string() ? f.detail[key].get<std::string>() : f.detail[key].dump());
  return out;
}

int show_system(const catalog::System& s, report::Format format) {
  if (format == report::Format::json) {
    std::printf("%s\n", system_json(s).dump(2).c_str());
    return kExitOk;
  }
  std::string out;
  report::Table head{fmt::format("{} ({})", s.name, s.id), {"what", "value"}, {}, {}};
  head.rows = {{"vendor", s.vendor}, {"kind", s.kind}, {"year", s.year ? std::to_string(s.year) : "-"},
               {"recognised by", recognised_by(s)}, {"price", price_text(s)},
               {"file", s.file}};
  out += report::draw(head, format) + "\n";
  report::Table claims{"Claims (the vendor's figures; dense unless marked sparse)",
                       {"what", "device", "dtype", "value", "unit", "verified", "source"}, {}, {}};
  for (auto& f : s.claims)
    claims.rows.push_back({f.what, f.device.empty() ? "-" : f.device, dtype_and_sparsity(f), report::format_value(f.value),
                           f.unit, f.verified, f.source});
  for (auto& f : s.derived)
    claims.rows.push_back({f.what + " (derived)", f.device.empty() ? "-" : f.device, dtype_and_sparsity(f),
                           report::format_value(f.value), f.unit, "-", f.detail.value("formula", "")});
  out += report::draw(claims, format) + "\n";
  report::Table measured{"Published measurements (not specgap's)",
                         {"what", "value", "unit", "conditions", "verified", "source"}, {}, {}};
  for (auto& f : s.measured)
    measured.rows.push_back({f.what + (f.dtype ? " " + *f.dtype : ""), report::format_value(f.value), f.unit,
                             conditions(f), f.verified, f.source});
  if (measured.rows.empty()) measured.notes.push_back("none in the catalog");
  out += report::draw(measured, format);
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command add_catalog_command(CLI::App& app, GlobalOptions& g) {
  struct Options {
    std::string system;
    std::vector<std::string> dirs;
  };
  auto o = std::make_shared<Options>();
  auto* sub = app.add_subcommand("catalog", "the reference systems: their claims and published measurements");
  sub->add_option("system", o->system, "a system's id to show in full (default: list them all)");
  add_catalog_option(sub, o->dirs);
  return {sub, [o, &g]() -> int {
            const auto systems = load_catalog_with(o->dirs);
            if (!o->system.empty()) return show_system(find_system(systems, o->system), g.format());
            if (g.format() == report::Format::json) {
              nlohmann::json j = nlohmann::json::array();
              for (auto& s : systems) j.push_back(system_json(s));
              std::printf("%s\n", j.dump(2).c_str());
              return kExitOk;
            }
            report::Table t{"Reference systems", {"id", "name", "kind", "price", "claims", "measured"}, {}, {}};
            for (auto& s : systems)
              t.rows.push_back({s.id, s.name, s.kind, price_text(s), std::to_string(s.claims.size()),
                                std::to_string(s.measured.size())});
            t.notes.push_back("specgap catalog ID shows one system; every figure carries its source");
            std::fputs(report::draw(t, g.format()).c_str(), stdout);
            return kExitOk;
          }};
}

}  // namespace specgap::cli
