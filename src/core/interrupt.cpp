#include "core/interrupt.h"

#include <atomic>
#include <csignal>

#include "core/error.h"

namespace specgap {
namespace {
// 0 while running; the number of the signal that asked us to stop.
std::atomic<int> g_stop{0};
static_assert(std::atomic<int>::is_always_lock_free, "the flag is written from a signal handler");

extern "C" void on_stop_signal(int signal_number) { g_stop.store(signal_number, std::memory_order_relaxed); }
}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A full disk under RLIMIT_FSIZE must surface as a write error, not kill the process.
  signal(SIGXFSZ, SIG_IGN);
}

bool interrupt_requested() { return g_stop.load(std::memory_order_relaxed) != 0; }

void throw_if_interrupted() {
  if (const int sig = g_stop.load(std::memory_order_relaxed)) throw Interrupted(sig);
}

void request_interrupt() { g_stop.store(SIGINT); }
void clear_interrupt() { g_stop.store(0); }

}  // namespace specgap
