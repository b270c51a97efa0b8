#include "report/svg_lines.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace specgap::report::svg {
namespace {
constexpr double kWidth = 900, kLeft = 80, kRight = 24, kPanelGap = 30, kTop = 34, kXAxisSpace = 40;

bool usable(const Point& p, bool x_log, bool y_log) {
  return std::isfinite(p.x) && std::isfinite(p.y) && (!x_log || p.x > 0) && (!y_log || p.y > 0);
}

bool has_points(const LinePanel& p, bool x_log) {
  for (auto& s : p.series)
    for (auto& pt : s.points)
      if (usable(pt, x_log, p.y_log)) return true;
  return false;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

// The panel's y scale: log, linear from 0 with room above the data for band labels, or zoomed.
Scale y_scale_of(const LinePanel& p, const Range& y, double top, double bottom) {
  if (p.y_log) return log_scale(y.lo, y.hi, bottom, top);
  if (!p.y_zoom) return linear_scale(0, y.hi * 1.1, bottom, top);
  const double pad = y.hi > y.lo ? (y.hi - y.lo) * 0.15 : std::max(std::abs(y.hi) * 0.05, 1.0);
  return linear_scale(y.lo - pad, y.hi + pad, bottom, top);
}

void draw_panel(Svg& svg, const LinePanel& p, const Scale& x_scale, const LineAxis& x, double top, bool last) {
  Range y;
  for (auto& s : p.series)
    for (auto& pt : s.points)
      if (usable(pt, x.log, p.y_log)) y.add(pt.y);
  for (auto& m : p.y_markers) y.add(m.at);
  const double bottom = top + p.height;
  const Scale y_scale = y_scale_of(p, y, top, bottom);
  const Plot plot{x_scale, y_scale};
  for (auto& b : p.x_bands) {
    const double from = x_scale.at(b.from), to = x_scale.at(b.to);
    svg.rect(from, top, to - from, p.height, "band");
    svg.text({(from + to) / 2, top + 14}, b.label, "band-label", "middle");
  }
  // Panels share the x axis: only the last one labels it.
  draw_axes(svg, plot, last ? x.title : "", p.y_title, last ? x.text : TickText(), short_number);
  if (!p.title.empty()) svg.text({kWidth - kRight, top - 10}, p.title, "panel-title", "end");
  for (auto& m : p.x_markers) {
    const double at = x_scale.at(m.at);
    svg.line({at, top}, {at, bottom}, "refline");
    if (!m.label.empty()) svg.text({at + 4, bottom - 6}, m.label, "refline-label");
  }
  for (auto& m : p.y_markers) {
    const double at = y_scale.at(m.at);
    svg.line({kLeft, at}, {kWidth - kRight, at}, "refline");
    // Under the line when it runs along the top, where the label would meet the panel's title.
    svg.text({kWidth - kRight - 4, at - top < 16 ? at + 13 : at - 4}, m.label, "refline-label", "end");
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (auto& s : p.series) {
    std::vector<Point> px;
    for (auto& pt : s.points)
      if (usable(pt, x.log, p.y_log)) px.push_back({x_scale.at(pt.x), y_scale.at(pt.y)});
    if (px.empty()) continue;
    legend.push_back({s.cls, s.name});
    svg.polyline(px, std::string(s.point_marks ? "" : "mark ") + "line " + s.cls, s.name);
    if (!s.point_marks) continue;
    for (size_t i = 0, j = 0; i < s.points.size(); ++i) {
      if (!usable(s.points[i], x.log, p.y_log)) continue;
      svg.circle(px[j++], 3, "mark point " + s.cls,
                 fmt::format("{} at {}: {:.4g} {}", s.name, x.text(s.points[i].x), s.points[i].y, s.unit));
    }
  }
  if (legend.size() > 1) draw_legend(svg, {kLeft + 150, top - 10}, legend);
}
}  // namespace

std::string line_chart(const std::string& id, const std::string& label, const LineAxis& x,
                       const std::vector<LinePanel>& panels) {
  Range xr;
  size_t shown = 0;
  for (auto& p : panels) {
    if (!has_points(p, x.log)) continue;
    ++shown;
    for (auto& s : p.series)
      for (auto& pt : s.points)
        if (usable(pt, x.log, p.y_log)) xr.add(pt.x);
    for (auto& b : p.x_bands) xr.add(b.from), xr.add(b.to);
  }
  double height = kTop + kXAxisSpace;
  for (auto& p : panels)
    if (has_points(p, x.log)) height += p.height + kPanelGap;
  Svg svg(id, kWidth, height, label);
  const Scale x_scale = x.log ? log_scale(xr.lo, xr.hi, kLeft, kWidth - kRight)
                              : linear_scale(std::min(0.0, xr.lo), xr.hi, kLeft, kWidth - kRight);
  double top = kTop;
  size_t drawn = 0;
  for (auto& p : panels) {
    if (!has_points(p, x.log)) continue;
    draw_panel(svg, p, x_scale, x, top, ++drawn == shown);
    top += p.height + kPanelGap;
  }
  return svg.str();
}

}  // namespace specgap::report::svg
