// The stop flag that Ctrl-C sets and long loops poll.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/interrupt.h"

namespace specgap {
namespace {

TEST(Interrupt, RequestThenClear) {
  clear_interrupt();
  EXPECT_FALSE(interrupt_requested());
  EXPECT_NO_THROW(throw_if_interrupted());
  request_interrupt();
  EXPECT_TRUE(interrupt_requested());
  try {
    throw_if_interrupted();
    ADD_FAILURE() << "no throw while a stop was requested";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exit_code(), kExitInterrupted);
    EXPECT_EQ(e.exit_code(), 130);
  }
  clear_interrupt();
  EXPECT_FALSE(interrupt_requested());
  EXPECT_NO_THROW(throw_if_interrupted());
}

TEST(Errors, ExitCodes) {
  EXPECT_EQ(Error("x").exit_code(), kExitFailure);
  EXPECT_EQ(UsageError("x").exit_code(), kExitUsage);
  EXPECT_EQ(kExitUsage, 2);
}

}  // namespace
}  // namespace specgap
