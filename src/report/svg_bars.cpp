#include "report/svg_bars.h"

#include <algorithm>
#include <cmath>

namespace specgap::report::svg {
namespace {
constexpr double kWidth = 900, kLabelWidth = 260, kValueWidth = 220;
constexpr double kBarHeight = 18, kBarGap = 8, kPanelTitle = 26, kAxisSpace = 44;

double panel_height(const BarPanel& p) {
  return kPanelTitle + double(p.bars.size()) * (kBarHeight + kBarGap) + kAxisSpace;
}

double panel_max(const BarPanel& p) {
  double hi = 0;
  for (auto& b : p.bars) {
    if (std::isfinite(b.value)) hi = std::max(hi, b.value);
    if (b.reference && std::isfinite(*b.reference)) hi = std::max(hi, *b.reference);
  }
  return hi;
}

void draw_panel(Svg& svg, const BarPanel& p, double top) {
  const double plot_top = top + kPanelTitle, plot_bottom = plot_top + double(p.bars.size()) * (kBarHeight + kBarGap);
  const Plot plot{linear_scale(0, panel_max(p), kLabelWidth, kWidth - kValueWidth),
                  {0, 1, plot_bottom, plot_top, false}};
  if (!p.title.empty()) svg.text({12, top + 16}, p.title, "panel-title");
  // Vertical grid and the value axis only: the bars' labels are the other axis.
  for (double t : ticks(plot.x)) {
    const double x = plot.x.at(t);
    svg.line({x, plot_top}, {x, plot_bottom}, "grid");
    svg.text({x, plot_bottom + 16}, p.tick_text(t), "tick", "middle");
  }
  svg.line({kLabelWidth, plot_bottom}, {kWidth - kValueWidth, plot_bottom}, "axis");
  svg.text({(kLabelWidth + kWidth - kValueWidth) / 2, plot_bottom + 34}, p.axis_title, "axis-title", "middle");
  double y = plot_top + kBarGap / 2;
  for (auto& b : p.bars) {
    const std::string tooltip = b.tooltip.empty() ? b.label + ": " + b.value_text : b.tooltip;
    svg.text({kLabelWidth - 8, y + kBarHeight - 5}, fit(b.label, kBarLabelChars), "bar-label", "end");
    if (b.reference)
      svg.rect(kLabelWidth, y, plot.x.at(*b.reference) - kLabelWidth, kBarHeight, "mark claim", tooltip);
    const double end = std::isfinite(b.value) ? plot.x.at(b.value) : kLabelWidth;
    const double inset = b.reference ? 4 : 0;  // a delivered bar sits inside its claim's outline
    svg.rect(kLabelWidth, y + inset, end - kLabelWidth, kBarHeight - 2 * inset, "mark bar " + b.cls, tooltip);
    const double text_x = std::max(end, b.reference ? plot.x.at(*b.reference) : end) + 6;
    svg.text({text_x, y + kBarHeight - 5}, b.value_text, "bar-value");
    y += kBarHeight + kBarGap;
  }
}
}  // namespace

std::string bar_chart(const std::string& id, const std::string& label, const std::vector<BarPanel>& panels) {
  double height = 8;
  for (auto& p : panels)
    if (!p.bars.empty()) height += panel_height(p);
  Svg svg(id, kWidth, height, label);
  double top = 4;
  for (auto& p : panels) {
    if (p.bars.empty()) continue;
    draw_panel(svg, p, top);
    top += panel_height(p);
  }
  return svg.str();
}

}  // namespace specgap::report::svg
