#pragma once
// Ctrl-C and SIGTERM set a flag that long loops poll between repetitions (and every few milliseconds
// inside long ones), so a run ends within a second with its samples kept. The flag is the one piece of
// process-global state: a signal handler can reach nothing else.
namespace specgap {

void install_interrupt_handlers();
bool interrupt_requested();
// Throws specgap::Interrupted when a stop was requested.
void throw_if_interrupted();
// For tests and for code that wants to cancel its own work (acts as SIGINT).
void request_interrupt();
void clear_interrupt();

}  // namespace specgap
