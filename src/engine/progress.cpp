// Progress of an ensemble on stderr: replications done, their rate and the time left.
#include "smesim/engine/progress.hpp"

namespace smesim {

Progress::Progress(int total, bool enabled, bool lines, std::FILE* out, double interval_seconds)
    : total_(total), enabled_(enabled), lines_(lines), out_(out), interval_(interval_seconds), start_(Clock::now()) {}

void Progress::done(int count) {
  if (enabled_) done(count, std::chrono::duration<double>(Clock::now() - start_).count());
}

void Progress::done(int count, double elapsed) {
  if (!enabled_) return;
  const double eta = count > 0 ? elapsed * (total_ - count) / count : 0.0;
  if (!lines_) {
    std::fprintf(out_, "\rreplications %d/%d, %.0f s elapsed, ETA %.0f s   ", count, total_, elapsed, eta);
    if (count == total_) std::fprintf(out_, "\n");
  } else if (count == total_ || elapsed - last_line_ >= interval_) {
    last_line_ = elapsed;
    const double per_minute = elapsed > 0 ? 60.0 * count / elapsed : 0.0;
    std::fprintf(out_, "smesim: replications %d/%d done, %.1f per minute, %.0f s elapsed, about %.0f s left\n", count,
                 total_, per_minute, elapsed, eta);
  }
  std::fflush(out_);
}

}  // namespace smesim
