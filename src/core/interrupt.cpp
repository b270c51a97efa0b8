#include "core/interrupt.h"

#include <atomic>
#include <csignal>

#include "core/error.h"

namespace specgap {
namespace {
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is written from a signal handler");

extern "C" void on_stop_signal(int) { g_stop.store(true, std::memory_order_relaxed); }
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

bool interrupt_requested() { return g_stop.load(std::memory_order_relaxed); }

void throw_if_interrupted() {
  if (interrupt_requested()) throw Interrupted();
}

void request_interrupt() { g_stop.store(true); }
void clear_interrupt() { g_stop.store(false); }

}  // namespace specgap
