#include "report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/html_text.h"

namespace specgap::report::svg {

double Scale::at(double v) const {
  const double a = log ? std::log10(lo) : lo, b = log ? std::log10(hi) : hi;
  double t = log ? std::log10(std::max(v, lo)) : v;
  t = std::clamp(t, std::min(a, b), std::max(a, b));
  return b == a ? px_lo : px_lo + (t - a) / (b - a) * (px_hi - px_lo);
}

namespace {
// The 1-2-5 step closest to span / target.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * decade) return m * decade;
  return 10 * decade;
}
constexpr int kTargetTicks = 5;
}  // namespace

Scale linear_scale(double lo, double hi, double px_lo, double px_hi) {
  if (!(hi > lo)) hi = lo + (lo == 0 ? 1 : std::abs(lo));
  const double step = nice_step(hi - lo, kTargetTicks);
  return {std::floor(lo / step) * step, std::ceil(hi / step) * step, px_lo, px_hi, false};
}

Scale log_scale(double lo, double hi, double px_lo, double px_hi) {
  if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
  if (!(hi > lo)) hi = lo * 10;
  return {std::pow(10.0, std::floor(std::log10(lo))), std::pow(10.0, std::ceil(std::log10(hi))), px_lo, px_hi, true};
}

std::vector<double> ticks(const Scale& s) {
  std::vector<double> out;
  if (!s.log) {
    const double step = nice_step(s.hi - s.lo, kTargetTicks);
    for (double v = s.lo; v <= s.hi + step * 1e-9; v += step) out.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
    return out;
  }
  const int first = int(std::lround(std::log10(s.lo))), last = int(std::lround(std::log10(s.hi)));
  const bool between = last - first < 3;
  for (int e = first; e <= last; ++e) {
    const double decade = std::pow(10.0, e);
    out.push_back(decade);
    if (between && e < last) {
      out.push_back(2 * decade);
      out.push_back(5 * decade);
    }
  }
  return out;
}

std::string short_number(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:g}G", v / 1e9);
  if (a >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

std::string fit(const std::string& label, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    if ((static_cast<unsigned char>(label[i]) & 0xC0) == 0x80) continue;  // inside a UTF-8 sequence
    if (++chars == max_chars) {
      size_t end = i + 1;
      while (end < label.size() && (static_cast<unsigned char>(label[end]) & 0xC0) == 0x80) ++end;
      return end < label.size() ? label.substr(0, i) + "\u2026" : label;
    }
  }
  return label;
}

namespace {
std::string num(double v) { return fmt::format("{:.1f}", v); }

std::string title_element(const std::string& tooltip) {
  return tooltip.empty() ? "" : "<title>" + html_escape(tooltip) + "</title>";
}

// An element with an optional tooltip child.
std::string element(const std::string& name, const std::string& attributes, const std::string& tooltip) {
  if (tooltip.empty()) return "<" + name + " " + attributes + "/>";
  return "<" + name + " " + attributes + ">" + title_element(tooltip) + "</" + name + ">";
}
}  // namespace

Svg::Svg(std::string id, double width, double height, std::string label)
    : id_(std::move(id)), label_(std::move(label)), width_(width), height_(height) {}

void Svg::line(Point a, Point b, const std::string& cls) {
  body_ += element("line",
                   fmt::format("x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{}\"", num(a.x), num(a.y), num(b.x),
                               num(b.y), html_escape(cls)),
                   "");
}

void Svg::rect(double x, double y, double w, double h, const std::string& cls, const std::string& tooltip) {
  body_ += element("rect",
                   fmt::format("x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"{}\"", num(x), num(y),
                               num(std::max(w, 0.0)), num(std::max(h, 0.0)), html_escape(cls)),
                   tooltip);
}

void Svg::circle(Point c, double r, const std::string& cls, const std::string& tooltip) {
  body_ += element("circle", fmt::format("cx=\"{}\" cy=\"{}\" r=\"{}\" class=\"{}\"", num(c.x), num(c.y), num(r),
                                         html_escape(cls)),
                   tooltip);
}

void Svg::polyline(const std::vector<Point>& points, const std::string& cls, const std::string& tooltip) {
  std::string coords;
  for (auto& p : points) coords += (coords.empty() ? "" : " ") + num(p.x) + "," + num(p.y);
  body_ += element("polyline", fmt::format("points=\"{}\" class=\"{}\"", coords, html_escape(cls)), tooltip);
}

void Svg::text(Point at, const std::string& s, const std::string& cls, const char* anchor) {
  body_ += fmt::format("<text x=\"{}\" y=\"{}\" class=\"{}\" text-anchor=\"{}\">{}</text>", num(at.x), num(at.y),
                       html_escape(cls), anchor, html_escape(s));
}

std::string Svg::str() const {
  return fmt::format(
      "<svg id=\"{}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-label=\"{}\"><title>{}</title>{}</svg>",
      html_escape(id_), num(width_), num(height_), num(width_), num(height_), html_escape(label_),
      html_escape(label_), body_);
}

void draw_axes(Svg& svg, const Plot& plot, const std::string& x_title, const std::string& y_title,
               const TickText& x_text, const TickText& y_text) {
  const double left = std::min(plot.x.px_lo, plot.x.px_hi), right = std::max(plot.x.px_lo, plot.x.px_hi);
  const double top = std::min(plot.y.px_lo, plot.y.px_hi), bottom = std::max(plot.y.px_lo, plot.y.px_hi);
  for (double t : ticks(plot.x)) {
    const double x = plot.x.at(t);
    svg.line({x, top}, {x, bottom}, "grid");
    if (x_text) svg.text({x, bottom + 16}, x_text(t), "tick", "middle");
  }
  for (double t : ticks(plot.y)) {
    const double y = plot.y.at(t);
    svg.line({left, y}, {right, y}, "grid");
    svg.text({left - 6, y + 4}, y_text(t), "tick", "end");
  }
  svg.line({left, bottom}, {right, bottom}, "axis");
  svg.line({left, top}, {left, bottom}, "axis");
  svg.text({(left + right) / 2, bottom + 34}, x_title, "axis-title", "middle");
  svg.text({left, top - 10}, y_title, "axis-title", "start");
}

void draw_legend(Svg& svg, Point at, const std::vector<std::pair<std::string, std::string>>& classes_and_names) {
  double x = at.x;
  for (auto& [cls, name] : classes_and_names) {
    svg.rect(x, at.y - 9, 14, 10, "swatch " + cls);
    svg.text({x + 18, at.y}, name, "legend");
    x += 30 + 7.0 * double(name.size());
  }
}

}  // namespace specgap::report::svg
