// Progress of an ensemble on stderr: replications done, their rate and the time left.
#pragma once

#include <chrono>
#include <cstdio>

namespace smesim {

/// Reports work items done: on a terminal one line rewritten in place after each item; in a
/// batch log (lines = true) a plain line at most every `interval_seconds` and at the end.
class Progress {
 public:
  Progress(int total, bool enabled, bool lines, std::FILE* out = stderr, double interval_seconds = 10.0);

  /// Reports `count` items done now.
  void done(int count);

  /// Reports `count` items done `elapsed` seconds after the start (tests pass a fake clock).
  void done(int count, double elapsed);

 private:
  using Clock = std::chrono::steady_clock;
  int total_;
  bool enabled_, lines_;
  std::FILE* out_;
  double interval_;
  double last_line_ = 0;  ///< seconds after the start of the last plain line
  Clock::time_point start_;
};

}  // namespace smesim
