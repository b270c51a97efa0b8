// parse_bytes (binary multiples, everything else refused) and format_bytes (binary units for people).
#include <gtest/gtest.h>

#include <string>

#include "core/units.h"

namespace specgap {
namespace {

TEST(ParseBytes, AcceptsPlainNumbersAndBinarySuffixes) {
  EXPECT_EQ(parse_bytes("4096"), 4096u);
  EXPECT_EQ(parse_bytes("16k"), 16 * KiB);
  EXPECT_EQ(parse_bytes("16K"), 16 * KiB);
  EXPECT_EQ(parse_bytes("64M"), 64 * MiB);
  EXPECT_EQ(parse_bytes("64MiB"), 64 * MiB);
  EXPECT_EQ(parse_bytes("1.5G"), 3 * GiB / 2);
  EXPECT_EQ(parse_bytes("2GiB"), 2 * GiB);
  EXPECT_EQ(parse_bytes("2gb"), 2 * GiB);  // "GB" is read as binary too, as the help says
  EXPECT_EQ(parse_bytes("1T"), 1024 * GiB);
  EXPECT_EQ(parse_bytes("512B"), 512u);
}

TEST(ParseBytes, RefusesWhatIsNotASize) {
  for (const char* text : {"", "abc", "-1", "5X", "0", "0k", "0.4", "M", "64 M", " 64M", "64M ", "1.5.5", "inf",
                           "nan", "1e30"}) {
    EXPECT_FALSE(parse_bytes(text).has_value()) << "'" << text << "' was accepted as "
                                                << parse_bytes(text).value_or(0);
  }
}

TEST(FormatBytes, BinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1024), "1 KiB");
  EXPECT_EQ(format_bytes(48 * KiB), "48 KiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(64 * MiB), "64 MiB");
  EXPECT_EQ(format_bytes(3 * GiB / 2), "1.5 GiB");
  EXPECT_EQ(format_bytes(2048 * GiB), "2 TiB");
}

TEST(FormatBytes, ParsesBackToTheSameSizeForWholeUnits) {
  for (uint64_t bytes : {uint64_t{1}, 4096 * uint64_t{1}, 16 * KiB, 3 * MiB, 5 * GiB}) {
    std::string text = format_bytes(bytes);
    text.erase(text.find(' '), 1);  // "16 KiB" -> "16KiB"
    EXPECT_EQ(parse_bytes(text), bytes) << text;
  }
}

TEST(Units, GigabytesPerSecondCountDecimalGigabytes) {
  EXPECT_DOUBLE_EQ(gb_per_s(2e9, 1.0), 2.0);
  EXPECT_DOUBLE_EQ(gb_per_s(1e9, 0.5), 2.0);
}

}  // namespace
}  // namespace specgap
