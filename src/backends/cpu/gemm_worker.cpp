#include "backends/cpu/gemm_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "core/emulation.h"
#include "core/error.h"
#include "core/interrupt.h"

extern char** environ;

namespace specgap::cpu {
namespace {

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The worker's answer to one request line.
std::string answer(GemmLibrary& lib, std::unique_ptr<GemmInstance>& inst, const std::string& line) {
  const auto w = words(line);
  if (w.empty()) return "error empty request";
  try {
    if (w[0] == "hello") return "ok " + lib.version();
    if (w[0] == "unsupported" && w.size() == 2) {
      const auto d = parse_dtype(w[1]);
      if (!d) return "error unknown dtype " + w[1];
      const auto why = lib.unsupported(*d);
      return why ? "no " + *why : "ok";
    }
    if (w[0] == "prepare" && w.size() == 7) {
      const auto d = parse_dtype(w[1]);
      if (!d) return "error unknown dtype " + w[1];
      inst.reset();  // one live instance: free the last one's memory first
      inst = lib.prepare(*d, {std::stoll(w[2]), std::stoll(w[3]), std::stoll(w[4])}, std::stoi(w[5]),
                         std::stoull(w[6]));
      return "ok " + inst->kernel();
    }
    if (!inst) return "error nothing prepared";
    if (w[0] == "check" && w.size() == 2) {
      const std::string err = inst->run_and_check(std::stoi(w[1]));
      return err.empty() ? "ok" : "error " + err;
    }
    if (w[0] == "time" && w.size() == 2) return fmt::format("ok {}", inst->time_calls(std::stoi(w[1])));
    if (w[0] == "release") {
      inst.reset();
      return "ok";
    }
    return "error unknown request: " + line;
  } catch (const std::exception& e) {
    std::string msg = e.what();
    std::replace(msg.begin(), msg.end(), '\n', ' ');
    return "error " + msg;
  }
}

// A running worker and the two pipes to it.
class Worker {
 public:
  Worker(const std::string& exe, const std::string& library, const std::vector<std::string>& unset_env)
      : description_(fmt::format("{} in a child process", library)) {
    // A worker that died leaves a pipe with no reader: writing to it must be an error we report,
    // not the SIGPIPE that would end this process.
    signal(SIGPIPE, SIG_IGN);
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0)
      throw Error(fmt::format("cannot start the {} worker: {}", library, std::strerror(errno)));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
      const std::string var = *e;
      const std::string name = var.substr(0, var.find('='));
      if (std::find(unset_env.begin(), unset_env.end(), name) == unset_env.end()) env_text.push_back(var);
    }
    std::vector<char*> envp;
    for (auto& v : env_text) envp.push_back(v.data());
    envp.push_back(nullptr);
    // Under an emulator (QEMU running the Arm build here) the child is started through it too.
    std::vector<std::string> args = emulator_launcher(exe);
    for (const std::string& a : {exe, std::string("gemm-worker"), std::string("--library"), library}) args.push_back(a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    to_ = to_child[1];
    from_ = from_child[0];
    if (rc != 0) {
      pid_ = -1;
      throw Error(fmt::format("cannot start {} gemm-worker: {}", exe, std::strerror(rc)));
    }
  }

  ~Worker() {
    close(to_);
    close(from_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);  // a call in flight may last seconds; nothing in the child is worth waiting for
      int status;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
  }

  // Sends one request and returns the answer's text after "ok" (throws on "error ..." or a dead child).
  std::string request(const std::string& line) {
    const std::string out = line + "\n";
    if (write_all(out) != out.size()) died();
    std::string reply;
    char c;
    while (true) {
      const ssize_t n = read(from_, &c, 1);
      if (n == 1) {
        if (c == '\n') break;
        reply += c;
      } else if (n < 0 && errno == EINTR) {
        throw_if_interrupted();
      } else {
        died();
      }
    }
    if (reply.rfind("ok", 0) == 0) return reply.size() > 3 ? reply.substr(3) : "";
    if (reply.rfind("no ", 0) == 0) throw Unsupported{reply.substr(3)};
    throw Error(reply.rfind("error ", 0) == 0 ? reply.substr(6) : "garbled worker reply: " + reply);
  }

  struct Unsupported {
    std::string reason;
  };

 private:
  size_t write_all(const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = write(to_, s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    return done;
  }

  [[noreturn]] void died() {
    throw_if_interrupted();  // Ctrl-C reaches the child too: that is an interruption, not a crash
    int status = 0;
    std::string how = "closed its output";
    if (pid_ > 0 && waitpid(pid_, &status, 0) == pid_) {
      pid_ = -1;
      how = WIFSIGNALED(status) ? fmt::format("was killed by signal {} ({})", WTERMSIG(status),
                                              strsignal(WTERMSIG(status)))
                                : fmt::format("exited with code {}", WEXITSTATUS(status));
    }
    throw Error(fmt::format("{} {}", description_, how));
  }

  std::string description_;
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

class ChildInstance : public GemmInstance {
 public:
  ChildInstance(std::shared_ptr<Worker> w, std::string kernel) : worker_(std::move(w)), kernel_(std::move(kernel)) {}
  ~ChildInstance() override {
    try {
      worker_->request("release");
    } catch (...) {  // a dead worker has nothing left to release
    }
  }
  void run() override { worker_->request("time 1"); }
  int64_t time_calls(int calls) override { return std::stoll(worker_->request(fmt::format("time {}", calls))); }
  std::string run_and_check(int samples) override {
    try {
      worker_->request(fmt::format("check {}", samples));
      return "";
    } catch (const Error& e) {
      return e.what();
    }
  }
  std::string kernel() const override { return kernel_; }

 private:
  std::shared_ptr<Worker> worker_;
  std::string kernel_;
};

class ChildLibrary : public GemmLibrary {
 public:
  ChildLibrary(const std::string& exe, const std::string& library, const std::vector<std::string>& unset_env)
      : worker_(std::make_shared<Worker>(exe, library, unset_env)), library_(library) {
    version_ = worker_->request("hello");
  }
  std::string name() const override { return library_ + "@child"; }
  std::string version() const override { return version_; }
  std::optional<std::string> unsupported(Dtype d) const override {
    try {
      worker_->request(fmt::format("unsupported {}", to_string(d)));
      return std::nullopt;
    } catch (const Worker::Unsupported& u) {
      return u.reason;
    } catch (const Error& e) {
      return std::string(e.what());
    }
  }
  std::unique_ptr<GemmInstance> prepare(Dtype d, GemmShape s, int threads, uint64_t seed) const override {
    const std::string kernel =
        worker_->request(fmt::format("prepare {} {} {} {} {} {}", to_string(d), s.m, s.n, s.k, threads, seed));
    return std::make_unique<ChildInstance>(worker_, kernel);
  }

 private:
  std::shared_ptr<Worker> worker_;
  std::string library_, version_;
};

}  // namespace

int serve_gemm_worker(const std::string& library, std::istream& in, std::ostream& out) {
  auto libraries = gemm_libraries();
  const auto it = std::find_if(libraries.begin(), libraries.end(), [&](auto& l) { return l->name() == library; });
  if (it == libraries.end()) {
    out << "error unknown library " << library << std::endl;
    return 2;
  }
  std::unique_ptr<GemmInstance> inst;
  for (std::string line; std::getline(in, line);) out << answer(**it, inst, line) << std::endl;
  return 0;
}

std::unique_ptr<GemmLibrary> child_gemm_library(const std::string& worker_exe, const std::string& library,
                                                const std::vector<std::string>& unset_env) {
  return std::make_unique<ChildLibrary>(worker_exe, library, unset_env);
}

}  // namespace specgap::cpu
