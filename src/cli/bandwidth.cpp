// The STREAM triad over arrays far larger than the caches.
#include "smesim/cli/bandwidth.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <memory>

namespace smesim::cli {

double triad_bandwidth(std::size_t array_bytes, int threads, int repeats) {
  const std::size_t n = std::max<std::size_t>(array_bytes / sizeof(double), 1);
  // Not value-initialised: each thread first touches the pages it later streams
  // (static partitioning gives it the same range every pass).
  std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
  double* __restrict pa = a.get();
  const double* __restrict pb = b.get();
  const double* __restrict pc = c.get();
  const std::size_t chunk = (n + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  auto each_range = [&](auto&& body) {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, chunk),
        [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); }, tbb::static_partitioner());
  };
  tbb::task_arena arena(std::max(1, threads));
  double best = 0;
  arena.execute([&] {
    each_range([&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) a[i] = 0.0, b[i] = 1.0, c[i] = 2.0;
    });
    const double s = 3.0;
    for (int rep = 0; rep < std::max(1, repeats); ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      each_range([&](std::size_t lo, std::size_t hi) {
        for (std::size_t i = lo; i < hi; ++i) pa[i] = pb[i] + s * pc[i];
      });
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (secs > 0) best = std::max(best, 3.0 * sizeof(double) * static_cast<double>(n) / secs);
    }
  });
  // Read the result, so the passes cannot be optimised away.
  return a[n / 2] == 7.0 ? best : 0.0;
}

}  // namespace smesim::cli
