// The roofline: attainable GFLOP/s against arithmetic intensity on log-log axes. The measured
// bandwidth is the slope, each dtype's measured compute ceiling a flat roof, the ridge where they
// meet; the measured workloads are the points, each labelled with the bound that holds it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html_sections.h"
#include "report/html_text.h"
#include "report/json_fields.h"
#include "report/render.h"
#include "report/svg_chart.h"

namespace specgap::report {
namespace {
constexpr double kWidth = 900, kHeight = 500, kLeft = 80, kRight = 190, kTop = 36, kBottom = 60;

struct Ceiling {
  std::string dtype, how;
  double gflops;
};

std::vector<Ceiling> ceilings_of(const nlohmann::json& roofline) {
  std::vector<Ceiling> out;
  for (auto& c : array_at(roofline, "ceilings"))
    if (auto g = number_at(c, "gflops"); g && *g > 0) out.push_back({text_at(c, "dtype", "?"), text_at(c, "how"), *g});
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.gflops > b.gflops; });
  return out;
}

std::string point_tooltip(const nlohmann::json& p) {
  std::string s = text_at(p, "name", "?");
  if (auto i = number_at(p, "intensity")) s += fmt::format(": {} FLOP/byte", format_value(*i));
  if (auto g = number_at(p, "gflops")) s += fmt::format(", {} GFLOP/s", format_value(*g));
  if (auto b = text_at(p, "bound"); !b.empty()) s += ", " + b + "-bound";
  if (auto f = number_at(p, "fraction")) s += fmt::format(", {:.0f}% of its roof", *f * 100);
  return s;
}

std::string roofline_chart(double bandwidth, const std::vector<Ceiling>& ceilings, const nlohmann::json& points) {
  std::vector<double> xs, ys;
  for (auto& c : ceilings) xs.push_back(c.gflops / bandwidth), ys.push_back(c.gflops);
  for (auto& p : points) {
    auto i = number_at(p, "intensity");
    auto g = number_at(p, "gflops");
    if (i && g && *i > 0 && *g > 0) xs.push_back(*i), ys.push_back(*g);
  }
  const auto [xlo, xhi] = std::minmax_element(xs.begin(), xs.end());
  const svg::Scale x = svg::log_scale(*xlo / 4, *xhi * 4, kLeft, kWidth - kRight);
  // Low enough that the bandwidth slope starts inside the frame at the left edge.
  const double ylo = std::min(bandwidth * x.lo, *std::min_element(ys.begin(), ys.end()) / 2);
  const svg::Scale y = svg::log_scale(ylo, *std::max_element(ys.begin(), ys.end()) * 1.5, kHeight - kBottom, kTop);
  svg::Svg svg("chart-roofline", kWidth, kHeight, "Roofline: attainable GFLOP/s against arithmetic intensity");
  svg::draw_axes(svg, {x, y}, "arithmetic intensity (FLOP per byte moved from memory)", "GFLOP/s",
                 svg::short_number, svg::short_number);
  for (size_t i = 0; i < ceilings.size(); ++i) {
    const auto& c = ceilings[i];
    const double ridge = c.gflops / bandwidth;
    const std::string series = fmt::format("s{}", i % 6);
    const std::string tip = fmt::format("{} roof: {} GFLOP/s ({}); ridge at {} FLOP/byte", c.dtype,
                                        format_value(c.gflops), c.how, format_value(ridge));
    svg.polyline({{x.at(x.lo), y.at(bandwidth * x.lo)}, {x.at(ridge), y.at(c.gflops)}, {x.at(x.hi), y.at(c.gflops)}},
                 "roof " + series, tip);
    svg.circle({x.at(ridge), y.at(c.gflops)}, 4, "ridge " + series, tip);
    svg.text({x.at(x.hi) + 6, y.at(c.gflops) + 4}, fmt::format("{} {} GFLOP/s", c.dtype, format_value(c.gflops)),
             "roof-label");
    svg.text({x.at(ridge), y.at(c.gflops) - 8}, fmt::format("ridge {}", format_value(ridge)), "ridge-label", "middle");
  }
  // The slope's label sits a decade in from the left edge, where no roof has flattened it yet.
  const double label_x = x.lo * 3;
  svg.text({x.at(label_x) + 4, y.at(bandwidth * label_x) - 8}, fmt::format("{} GB/s", format_value(bandwidth)),
           "slope-label");
  for (auto& p : points) {
    auto i = number_at(p, "intensity");
    auto g = number_at(p, "gflops");
    if (!i || !g || *i <= 0 || *g <= 0) continue;
    const std::string bound = text_at(p, "bound");
    svg.circle({x.at(*i), y.at(*g)}, 5, "mark point " + (bound.empty() ? "" : "bound-" + bound), point_tooltip(p));
    svg.text({x.at(*i) + 8, y.at(*g) + 4}, svg::fit(text_at(p, "name", "?"), 28), "point-label");
  }
  return svg.str();
}

// `bandwidth`: the slope of the chart; a point held to another memory roof says which in a note.
Table points_table(const nlohmann::json& points, double bandwidth) {
  Table t{"", {"workload", "FLOP/byte", "GFLOP/s", "roof", "memory roof GB/s", "ridge FLOP/byte", "bound", "share of roof"},
          {},
          {}};
  const auto num = [](const nlohmann::json& p, const char* k) {
    auto v = number_at(p, k);
    return v ? format_value(*v) : std::string("-");
  };
  for (auto& p : points) {
    // Two decimals, as the LLM section gives decode's share of its read bandwidth.
    auto f = number_at(p, "fraction");
    t.rows.push_back({text_at(p, "name", "?"), num(p, "intensity"), num(p, "gflops"), text_at(p, "ceiling_dtype", "-"),
                      num(p, "bandwidth_gbs"), num(p, "ridge"), text_at(p, "bound", "-"),
                      f ? fmt::format("{:.2f}", *f) : "-"});
    if (auto own = number_at(p, "bandwidth_gbs"); own && *own != bandwidth)
      t.notes.push_back(fmt::format("{}: memory roof {} GB/s, {}", text_at(p, "name", "?"), format_value(*own),
                                    text_at(p, "bandwidth_how")));
  }
  return t;
}

}  // namespace

std::string roofline_section(const nlohmann::json& findings) {
  const auto roofline = object_at(findings, "roofline");
  const auto bandwidth = number_at(roofline, "bandwidth_gbs");
  const auto ceilings = ceilings_of(roofline);
  const auto points = array_at(roofline, "points");
  if (!bandwidth || *bandwidth <= 0 || ceilings.empty())
    return html_section("roofline", "Roofline",
                        html_empty("Not measured in this run: the roofline needs a memory bandwidth and at least one "
                                   "compute ceiling."));
  std::string body =
      "<p class=\"lead\">Attainable performance is the lower of the compute roof and bandwidth x intensity. A point "
      "left of its ridge is held by memory, right of it by compute.</p>" +
      roofline_chart(*bandwidth, ceilings, points);
  if (!points.empty()) body += html_table(points_table(points, *bandwidth));
  body += "<details class=\"method\" open><summary>How it was measured</summary><ul>";
  body += "<li><b>bandwidth</b>: " + html_escape(format_value(*bandwidth) + " GB/s, " + text_at(roofline, "bandwidth_how")) + "</li>";
  for (auto& c : ceilings)
    body += "<li><b>" + html_escape(c.dtype) + " roof</b>: " + html_escape(format_value(c.gflops) + " GFLOP/s, " + c.how) + "</li>";
  body += "</ul></details>";
  return html_section("roofline", "Roofline", body);
}

}  // namespace specgap::report
