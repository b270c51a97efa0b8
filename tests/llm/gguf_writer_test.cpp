// The writer refuses what ggml or our reader would refuse, and a write that fails leaves no file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "core/error.h"
#include "gguf_test_files.h"
#include "llm/gguf_reader.h"
#include "llm/gguf_writer.h"

namespace specgap::llm {
namespace {

using test::TempDir;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no specgap::Error thrown";
  return "";
}

TEST(GgufWriter, TensorsAreCheckedAgainstTypeAndDims) {
  const std::vector<std::byte> data(4096);
  GgufWriter w;
  w.add_tensor("ok", GgmlType::q4_0, {64, 2}, data.data(), 2 * 2 * 18);
  EXPECT_EQ(error_of([&] { w.add_tensor("ok", GgmlType::f32, {4}, data.data(), 16); }),
            "gguf writer: tensor 'ok': added twice");
  EXPECT_EQ(error_of([&] { w.add_tensor("short", GgmlType::f32, {4, 4}, data.data(), 60); }),
            "gguf writer: tensor 'short': 60 bytes given, 16 elements of f32 take 64");
  EXPECT_EQ(error_of([&] { w.add_tensor("q", GgmlType::q4_0, {33}, data.data(), 18); }),
            "gguf writer: tensor 'q': ne[0] 33 is not a whole number of q4_0 blocks");
  EXPECT_EQ(error_of([&] { w.add_tensor("five", GgmlType::f32, {1, 1, 1, 1, 1}, data.data(), 4); }),
            "gguf writer: tensor 'five': 5 dimensions, must be 1 to 4");
  EXPECT_EQ(error_of([&] { w.add_tensor("zero", GgmlType::f32, {4, 0}, data.data(), 0); }),
            "gguf writer: tensor 'zero': dimension 1 is 0");
  EXPECT_EQ(error_of([&] { w.add_tensor(std::string(64, 'x'), GgmlType::f32, {1}, data.data(), 4); }),
            "gguf writer: tensor '" + std::string(64, 'x') + "': name of 64 bytes, must be 1 to 63");
  EXPECT_EQ(error_of([&] { w.add_tensor("huge", GgmlType::f64, {uint64_t(1) << 31, uint64_t(1) << 31}, data.data(), 0); }),
            "gguf writer: tensor 'huge': too many bytes");
  EXPECT_EQ(w.tensor_count(), 1u);
  EXPECT_EQ(error_of([&] { w.to_bytes(48); }), "gguf writer: alignment 48 is not a power of two up to 1048576");
  w.set_u32("general.alignment", 64);
  EXPECT_NE(error_of([&] { w.to_bytes(); }).find("set the alignment through write()"), std::string::npos);
}

TEST(GgufWriter, AFileItWritesHasExactlyTheLayoutGgmlRequires) {
  // Tensor i at the padded sum of the sizes before it, data section at the aligned end of the infos,
  // padding zero-filled, nothing after the last tensor's padding.
  std::vector<std::byte> a(5 * 4, std::byte{0xaa}), b(3 * 2, std::byte{0xbb});
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.add_tensor("a", GgmlType::f32, {5}, a.data(), a.size());
  w.add_tensor("b", GgmlType::f16, {3}, b.data(), b.size());
  const auto bytes = w.to_bytes(64);
  const auto f = GgufFile::from_bytes(bytes, "layout.gguf");
  ASSERT_EQ(f.tensors().size(), 2u);
  EXPECT_EQ(f.tensor_file_offset(0), f.data_offset());
  EXPECT_EQ(f.tensor_file_offset(1), f.data_offset() + 64);
  EXPECT_EQ(bytes.size(), f.data_offset() + 128);
  for (uint64_t i = f.data_offset() + 20; i < f.data_offset() + 64; ++i) EXPECT_EQ(bytes[i], std::byte{0});
  EXPECT_EQ(bytes[f.data_offset() + 64], std::byte{0xbb});
  for (uint64_t i = f.data_offset() + 70; i < bytes.size(); ++i) EXPECT_EQ(bytes[i], std::byte{0});
}

TEST(GgufWriter, WriteGoesThroughATemporaryFileAndRenames) {
  TempDir dir;
  const std::string path = dir.file("model.gguf");
  test::LlamaLikeModel model(1000);
  model.writer.write(path);
  EXPECT_TRUE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  // Writing over an existing file replaces it whole.
  GgufWriter small;
  small.set_string("general.architecture", "llama");
  small.write(path);
  EXPECT_EQ(fs::file_size(path), small.to_bytes().size());
  EXPECT_TRUE(GgufFile::open(path).tensors().empty());
}

TEST(GgufWriter, AFolderThatDoesNotExistIsOneLineNamingThePath) {
  TempDir dir;
  const std::string path = dir.file("no/such/folder/model.gguf");
  GgufWriter w;
  EXPECT_EQ(error_of([&] { w.write(path); }),
            "gguf writer: " + path + ": cannot create " + path + ".tmp (No such file or directory)");
}

// A full disk, as RLIMIT_FSIZE makes one: write() fails part way (EFBIG once SIGXFSZ is ignored).
// Run in a child so the limit and the signal disposition do not leak into the test runner.
TEST(GgufWriter, AWriteThatFailsPartWayLeavesNoFileAndSaysWhy) {
  TempDir dir;
  const std::string path = dir.file("model.gguf");
  std::vector<std::byte> data(256 * 1024, std::byte{1});
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.add_tensor("big", GgmlType::f32, {64 * 1024}, data.data(), data.size());

  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    std::string message = "no error";
    try {
      w.write(path);
    } catch (const Error& e) {
      message = e.what();
    }
    (void)!write(pipe_fds[1], message.data(), message.size());
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string message;
  char buf[1024];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) message.append(buf, size_t(n));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(message.rfind("gguf writer: " + path + ": write failed at byte ", 0), 0u) << message;
  EXPECT_NE(message.find("(File too large)"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

}  // namespace
}  // namespace specgap::llm
