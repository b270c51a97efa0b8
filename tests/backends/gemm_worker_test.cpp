// The GEMM worker: its line protocol served from streams, and a parent's view of a worker that
// cannot start or dies (an error naming how, never a hang or a crash of the parent).
#include <gtest/gtest.h>

#include <sstream>

#include "backends/cpu/gemm_worker.h"
#include "core/error.h"

namespace specgap::cpu {
namespace {

std::vector<std::string> serve(const std::string& library, const std::string& requests) {
  std::istringstream in(requests);
  std::ostringstream out;
  serve_gemm_worker(library, in, out);
  std::vector<std::string> lines;
  std::istringstream replies(out.str());
  for (std::string line; std::getline(replies, line);) lines.push_back(line);
  return lines;
}

TEST(GemmWorker, ServesPrepareCheckTimeAndRelease) {
  const auto r = serve("openblas",
                       "hello\nunsupported fp32\nunsupported bf16\nprepare fp32 7 13 5 1 42\ncheck 8\ntime 3\n"
                       "release\ntime 1\n");
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r[0].rfind("ok ", 0), 0u) << r[0];  // its version
  EXPECT_EQ(r[1], "ok");
  EXPECT_EQ(r[2].rfind("no ", 0), 0u) << r[2];  // OpenBLAS has no bf16 here, with the reason
  EXPECT_EQ(r[3].rfind("ok ", 0), 0u) << r[3];  // the kernel it chose
  EXPECT_EQ(r[4], "ok");
  ASSERT_EQ(r[5].rfind("ok ", 0), 0u) << r[5];
  EXPECT_GT(std::stoll(r[5].substr(3)), 0);     // nanoseconds of 3 calls
  EXPECT_EQ(r[6], "ok");
  EXPECT_EQ(r[7], "error nothing prepared");
}

TEST(GemmWorker, BadRequestsGetOneLineErrors) {
  const auto r = serve("openblas", "prepare fp99 1 1 1 1 1\nprepare fp32 0 1 1 1 1\nfrobnicate\n\nunsupported\n");
  ASSERT_EQ(r.size(), 5u);
  for (auto& line : r) EXPECT_EQ(line.rfind("error ", 0), 0u) << line;
}

TEST(GemmWorker, AnUnknownLibraryEndsTheWorker) {
  std::istringstream in("hello\n");
  std::ostringstream out;
  EXPECT_EQ(serve_gemm_worker("mkl", in, out), 2);
  EXPECT_EQ(out.str(), "error unknown library mkl\n");
}

TEST(GemmWorker, AWorkerThatDiesIsAnErrorSayingHow) {
  // /bin/false is not a worker: it exits at once, before answering.
  try {
    child_gemm_library("/bin/false", "openblas", {});
    FAIL() << "a dead worker was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("exited with code 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(child_gemm_library("/nonexistent/specgap", "openblas", {}), Error);
}

TEST(GemmWorker, TheRealBinaryServesTheLibraryInAChild) {
  const auto lib = child_gemm_library(SPECGAP_BINARY, "openblas", {"OPENBLAS_CORETYPE"});
  EXPECT_EQ(lib->name(), "openblas@child");
  EXPECT_FALSE(lib->unsupported(Dtype::fp64));
  EXPECT_TRUE(lib->unsupported(Dtype::int8));
  auto gemm = lib->prepare(Dtype::fp64, {33, 65, 17}, 1, 7);
  EXPECT_FALSE(gemm->kernel().empty());
  EXPECT_EQ(gemm->run_and_check(16), "");
  EXPECT_GT(gemm->time_calls(2), 0);
}

}  // namespace
}  // namespace specgap::cpu
