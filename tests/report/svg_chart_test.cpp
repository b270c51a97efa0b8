// Chart primitives: scales and their ticks, labels cut to fit, and escaping of what a chart is given.
#include "report/svg_chart.h"

#include <gtest/gtest.h>

namespace specgap::report::svg {
namespace {

TEST(SvgScale, LinearRangeWidensToARoundStepAndMapsEnds) {
  const Scale s = linear_scale(0, 2900, 100, 500);
  EXPECT_EQ(s.hi, 3000);
  // The step is the smallest 1-2-5 value at least a fifth of the span: 1000 here.
  EXPECT_EQ(ticks(s), (std::vector<double>{0, 1000, 2000, 3000}));
  EXPECT_DOUBLE_EQ(s.at(0), 100);
  EXPECT_DOUBLE_EQ(s.at(1500), 300);
  EXPECT_DOUBLE_EQ(s.at(-50), 100) << "a value outside the range is clamped to its edge";
}

TEST(SvgScale, LogRangeWidensToDecadesWithTwoAndFiveWhenNarrow) {
  const Scale narrow = log_scale(3, 80, 0, 100);
  EXPECT_EQ(narrow.lo, 1);
  EXPECT_EQ(narrow.hi, 100);
  EXPECT_EQ(ticks(narrow), (std::vector<double>{1, 2, 5, 10, 20, 50, 100}));
  EXPECT_DOUBLE_EQ(narrow.at(10), 50);
  const Scale wide = log_scale(0.2, 5000, 0, 100);
  EXPECT_EQ(ticks(wide), (std::vector<double>{0.1, 1, 10, 100, 1000, 10000}));
  EXPECT_DOUBLE_EQ(wide.at(0), 0) << "zero has no place on a log axis: it sits at the low edge";
}

TEST(SvgText, LabelsAreCutByCharactersNotBytes) {
  EXPECT_EQ(fit("short", 10), "short");
  EXPECT_EQ(fit("exactly10!", 10), "exactly10!");
  EXPECT_EQ(fit("a longer label", 6), "a lon\u2026");
  EXPECT_EQ(fit("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 4), "\u00e9\u00e9\u00e9\u2026");
  EXPECT_EQ(short_number(15000), "15k");
  EXPECT_EQ(short_number(0.5), "0.5");
  EXPECT_EQ(short_number(3e6), "3M");
}

TEST(SvgCanvas, EscapesEveryStringItIsGiven) {
  Svg svg("chart-<x>", 100, 50, "a \"label\"");
  svg.text({1, 2}, "<b>&", "cls\"");
  svg.rect(0, 0, 10, 10, "mark", "tip <i>");
  const std::string out = svg.str();
  EXPECT_NE(out.find("id=\"chart-&lt;x&gt;\""), std::string::npos);
  EXPECT_NE(out.find(">&lt;b&gt;&amp;</text>"), std::string::npos);
  EXPECT_NE(out.find("class=\"cls&quot;\""), std::string::npos);
  EXPECT_NE(out.find("<title>tip &lt;i&gt;</title>"), std::string::npos);
  EXPECT_NE(out.find("aria-label=\"a &quot;label&quot;\""), std::string::npos);
}

}  // namespace
}  // namespace specgap::report::svg
