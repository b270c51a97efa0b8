#pragma once
// Line charts for the HTML report: the memory sweep and latency curves (log x), the soak's rate per
// interval and the telemetry timeline (linear x). Panels stack under one shared x axis, each with its
// own y axis, so a rate, a clock and a temperature line up in time without sharing a unit.
#include <string>
#include <vector>

#include "report/svg_chart.h"

namespace specgap::report::svg {

struct Series {
  std::string name;
  std::string cls;            // its colour class, e.g. "s0"
  std::vector<Point> points;  // in data units
  // A circle of class "mark" per point; else (a dense timeline) the line itself is the mark.
  bool point_marks = true;
  std::string unit;           // for the tooltips
};

// A shaded stretch of x (a cache plateau) with its label.
struct Band {
  double from = 0, to = 0;
  std::string label;
};

// A dashed reference line across the panel with its label (none when empty).
struct Marker {
  double at = 0;
  std::string label;
};

struct LinePanel {
  std::string title, y_title;
  std::vector<Series> series;
  bool y_log = false;       // else linear from 0, unless y_zoom
  std::vector<Band> x_bands;
  std::vector<Marker> x_markers, y_markers;
  // Linear y fitted to the data instead of from 0: for telemetry, where a 9% clock drop is the news;
  // a rate keeps its zero so the size of a fall is not exaggerated.
  bool y_zoom = false;
  double height = 210;
};

struct LineAxis {
  std::string title;
  bool log = false;
  TickText text = short_number;
};

// An <svg> with the given id; panels without any point are left out.
std::string line_chart(const std::string& id, const std::string& label, const LineAxis& x,
                       const std::vector<LinePanel>& panels);

}  // namespace specgap::report::svg
