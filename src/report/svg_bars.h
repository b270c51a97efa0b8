#pragma once
// Horizontal bar charts for the HTML report: claim vs delivered, LLM rates, the ranking. One chart
// holds one or more panels stacked, each with its own axis, so rates in different units (tokens/s and
// milliseconds) share a figure without sharing a scale.
#include <optional>
#include <string>
#include <vector>

#include "report/svg_chart.h"

namespace specgap::report::svg {

// The characters of a bar's label that fit left of the bars (about 7 px each at the label's size).
inline constexpr size_t kBarLabelChars = 34;

struct Bar {
  std::string label;                // left of the bar (cut to fit; the tooltip keeps it whole)
  double value = 0;                 // the bar's length, in the panel's unit
  std::optional<double> reference;  // an outlined bar behind it: the figure the value is held against
  std::string value_text;           // right of the bar
  std::string cls;                  // extra classes for the bar: "this-machine", "projection", a series
  std::string tooltip;
};

struct BarPanel {
  std::string title;       // above the panel; may be empty
  std::string axis_title;  // under its axis
  std::vector<Bar> bars;
  TickText tick_text = short_number;
};

// An <svg> with the given id. Each bar is a rect of class "mark"; its reference, where given, a rect of
// class "mark claim". A panel without bars is left out.
std::string bar_chart(const std::string& id, const std::string& label, const std::vector<BarPanel>& panels);

}  // namespace specgap::report::svg
