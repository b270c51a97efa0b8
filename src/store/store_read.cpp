// Reading runs back: the list, one whole run, its raw samples.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "store/sqlite_util.h"
#include "store/store.h"
#include "store/store_errors.h"

namespace specgap {
namespace {

// JSON stored by this store; a damaged row names its run instead of failing with a parser message.
nlohmann::json parse_stored_json(const std::string& text, const char* what,
                                 const std::string& run_id, const std::string& path) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    throw Error(
        fmt::format("run '{}' in results database {} has a malformed {}", run_id, path, what));
  }
  return j;
}

// The one run id that `id_or_prefix` names: itself when it exists, else the only id it starts. A
// prefix shared by several runs is a usage error that says how many.
std::optional<std::string> resolve_run_id(sqlite3* db, const std::string& path,
                                          const std::string& id_or_prefix) {
  if (id_or_prefix.empty()) return std::nullopt;
  // substr instead of LIKE: a prefix holding '%' or '_' must match literally.
  store::Statement find(db, R"sql(
    SELECT run_id FROM runs WHERE substr(run_id, 1, length(?1)) = ?1 ORDER BY run_id)sql");
  find.bind_text(1, id_or_prefix);
  std::vector<std::string> matches;
  while (find.step()) {
    matches.push_back(find.column_text(0));
    if (matches.back() == id_or_prefix) return id_or_prefix;
  }
  if (matches.empty()) return std::nullopt;
  if (matches.size() == 1) return matches.front();
  constexpr size_t kShown = 3;
  const auto shown_end = matches.begin() + std::min(matches.size(), kShown);
  throw UsageError(
      fmt::format("run id prefix '{}' is ambiguous in {}: {} runs match ({}{}); give "
                  "more characters",
                  id_or_prefix, path, matches.size(), fmt::join(matches.begin(), shown_end, ", "),
                  matches.size() > kShown ? ", ..." : ""));
}

}  // namespace

std::vector<RunSummary> Store::list_runs(int limit) {
  return store::read_or_throw(path_, [&] {
    store::Statement list(db_.get(), R"sql(
      SELECT run_id, started_at, finished_at, status, command,
             (SELECT COUNT(*) FROM results WHERE results.run_id = runs.run_id),
             (SELECT COUNT(*) FROM samples WHERE samples.run_id = runs.run_id)
      FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?1)sql");
    list.bind_int64(1, limit > 0 ? limit : -1);  // LIMIT -1: no limit
    std::vector<RunSummary> runs;
    while (list.step()) {
      RunSummary run;
      run.run_id = list.column_text(0);
      run.started_at = list.column_text(1);
      run.finished_at = list.column_text(2);
      run.status = list.column_text(3);
      run.command = list.column_text(4);
      run.results = list.column_int64(5);
      run.samples = list.column_int64(6);
      runs.push_back(std::move(run));
    }
    return runs;
  });
}

std::optional<RunRecord> Store::load_run(const std::string& run_id_or_prefix) {
  return store::read_or_throw(path_, [&]() -> std::optional<RunRecord> {
    const auto run_id = resolve_run_id(db_.get(), path_, run_id_or_prefix);
    if (!run_id) return std::nullopt;
    store::Statement head(db_.get(), R"sql(
      SELECT started_at, finished_at, status, command, specgap_version, error, machine_json,
             (SELECT COUNT(*) FROM samples WHERE samples.run_id = runs.run_id), telemetry_json
      FROM runs WHERE run_id = ?1)sql");
    head.bind_text(1, *run_id);
    if (!head.step()) return std::nullopt;  // deleted between the two reads
    RunRecord run;
    run.run_id = *run_id;
    run.started_at = head.column_text(0);
    run.finished_at = head.column_text(1);
    run.status = head.column_text(2);
    run.command = head.column_text(3);
    run.specgap_version = head.column_text(4);
    run.error = head.column_text(5);
    run.machine = parse_stored_json(head.column_text(6), "machine record", *run_id, path_);
    run.samples = head.column_int64(7);
    run.telemetry = telemetry_info_from_json(parse_stored_json(head.column_text(8), "telemetry record", *run_id, path_));

    store::Statement results(db_.get(),
                             "SELECT record_json FROM results WHERE run_id = ?1 ORDER BY seq");
    results.bind_text(1, *run_id);
    while (results.step()) {
      const auto record =
          parse_stored_json(results.column_text(0), "result record", *run_id, path_);
      try {
        run.results.push_back(result_from_json(record));
      } catch (const Error& e) {
        throw Error(fmt::format("run '{}' in results database {}: {}", *run_id, path_, e.what()));
      }
    }
    run.timeline = load_telemetry(*run_id);
    return run;
  });
}

std::vector<TelemetryTick> Store::load_telemetry(const std::string& run_id, double since) {
  return store::read_or_throw(path_, [&] {
    store::Statement select(db_.get(), "SELECT t, readings_json FROM telemetry WHERE run_id = ?1 AND t >= ?2 ORDER BY t, id");
    select.bind_text(1, run_id).bind_double(2, since);
    std::vector<TelemetryTick> ticks;
    while (select.step()) {
      TelemetryTick tick;
      tick.t = select.column_double(0);
      const auto readings = parse_stored_json(select.column_text(1), "telemetry tick", run_id, path_);
      if (!readings.is_object()) throw Error(fmt::format("run '{}' in results database {} has a malformed telemetry tick", run_id, path_));
      for (auto& [channel, value] : readings.items())
        if (value.is_number()) tick.readings[channel] = value.get<double>();
      ticks.push_back(std::move(tick));
    }
    return ticks;
  });
}

std::vector<Sample> Store::load_samples(const std::string& run_id) {
  return store::read_or_throw(path_, [&] {
    store::Statement select(db_.get(), R"sql(
      SELECT suite, name, impl, value, unit, params_json FROM samples
      WHERE run_id = ?1 ORDER BY seq)sql");
    select.bind_text(1, run_id);
    std::vector<Sample> samples;
    while (select.step()) {
      Sample sample;
      sample.suite = select.column_text(0);
      sample.name = select.column_text(1);
      sample.impl = select.column_text(2);
      sample.value = select.column_double(3);
      sample.unit = select.column_text(4);
      sample.params = parse_stored_json(select.column_text(5), "sample", run_id, path_);
      samples.push_back(std::move(sample));
    }
    return samples;
  });
}

}  // namespace specgap
