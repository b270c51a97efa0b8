// The chunks a matmul step's row groups are handed out in (row_chunks.h).
#include "llm/row_chunks.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace specgap::llm {
namespace {

std::vector<int64_t> chunk_sizes(int64_t total, int64_t shares) {
  std::vector<int64_t> sizes;
  for (int64_t start = 0; start < total;) {
    const int64_t end = chunk_end(start, total, shares);
    EXPECT_GT(end, start) << "a chunk must make progress";
    sizes.push_back(end - start);
    start = end;
  }
  return sizes;
}

TEST(RowChunks, EveryGroupIsInExactlyOneChunkAndNoChunkPassesTheEnd) {
  for (int64_t total : {1, 3, 4, 5, 128, 192, 1000, 8016})
    for (size_t members : {1u, 2u, 3u, 16u})
      for (int64_t tokens : {1, 2, 512})
        for (bool small : {false, true}) {
          int64_t covered = 0;
          for (int64_t s : chunk_sizes(total, chunk_shares(members, tokens, small))) covered += s;
          EXPECT_EQ(covered, total) << total << " groups, " << members << " members, " << tokens << " tokens";
        }
}

TEST(RowChunks, DecodeTakesWhatIsLeftOverTheMembersOrTwiceThatPrefillAlwaysTwice) {
  EXPECT_EQ(chunk_shares(2, 1, false), 2);
  EXPECT_EQ(chunk_shares(2, 1, true), 4);
  EXPECT_EQ(chunk_shares(2, 64, false), 4);
  EXPECT_EQ(chunk_shares(2, 64, true), 4);
  // 192 groups (Llama 3.2 1B's Q, K and V) and 2 members; never under kMinChunk but at the end.
  EXPECT_EQ(chunk_sizes(192, chunk_shares(2, 1, false)), (std::vector<int64_t>{96, 48, 24, 12, 6, 4, 2}));
  EXPECT_EQ(chunk_sizes(192, chunk_shares(2, 64, false)),
            (std::vector<int64_t>{48, 36, 27, 20, 15, 11, 8, 6, 5, 4, 4, 4, 4}));
  EXPECT_EQ(chunk_sizes(192, chunk_shares(1, 1, false)), (std::vector<int64_t>{192}));
}

}  // namespace
}  // namespace specgap::llm
