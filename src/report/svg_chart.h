#pragma once
// Chart primitives for the HTML report, written as SVG text: scales with round ticks, a canvas that
// escapes every label it is given, and the axes of a plot. No script library, so a report opens
// offline and prints as it shows. Colours and strokes come from the page's CSS by class; data marks
// carry the class "mark" (so a test can count them) and a <title> that browsers show as a tooltip.
#include <functional>
#include <string>
#include <vector>

namespace specgap::report::svg {

// Data values to pixels, linearly or on log10 (log needs lo > 0). px_hi < px_lo for a y axis that
// grows upward. Values outside [lo, hi] are clamped to the edge, so a stray point stays in the frame.
struct Scale {
  double lo = 0, hi = 1;
  double px_lo = 0, px_hi = 1;
  bool log = false;
  double at(double v) const;
};

// [lo, hi] widened to round ends: a linear range to a 1-2-5 step, a log range to whole decades.
Scale linear_scale(double lo, double hi, double px_lo, double px_hi);
Scale log_scale(double lo, double hi, double px_lo, double px_hi);

// Round values to label an axis with: 1-2-5 steps on a linear scale; decades on a log one, with 2 and 5
// between them when the range spans fewer than three decades.
std::vector<double> ticks(const Scale& s);

using TickText = std::function<std::string(double)>;
// 0.5, 2, 40, 1.5k, 20k, 3M: an axis label.
std::string short_number(double v);
// A label cut to `max_chars` characters (UTF-8 aware), with an ellipsis when it was longer.
std::string fit(const std::string& label, size_t max_chars);

struct Point {
  double x = 0, y = 0;
};

class Svg {
 public:
  // `label` is the chart's accessible name and its first <title>.
  Svg(std::string id, double width, double height, std::string label);

  void line(Point a, Point b, const std::string& cls);
  void rect(double x, double y, double w, double h, const std::string& cls, const std::string& tooltip = "");
  void circle(Point c, double r, const std::string& cls, const std::string& tooltip = "");
  void polyline(const std::vector<Point>& points, const std::string& cls, const std::string& tooltip = "");
  void text(Point at, const std::string& s, const std::string& cls, const char* anchor = "start");

  std::string str() const;

 private:
  std::string id_, label_, body_;
  double width_, height_;
};

// A plot area (the pixel ranges of its scales) and the scales themselves.
struct Plot {
  Scale x, y;
};

// Grid lines at the ticks, their labels, and the titles of both axes. An empty x_text leaves the x
// ticks unlabelled (a panel above another that shares its axis).
void draw_axes(Svg& svg, const Plot& plot, const std::string& x_title, const std::string& y_title,
               const TickText& x_text, const TickText& y_text);

// One swatch and name per series, in a row starting at `at`; `classes` are the swatches' classes.
void draw_legend(Svg& svg, Point at, const std::vector<std::pair<std::string, std::string>>& classes_and_names);

}  // namespace specgap::report::svg
