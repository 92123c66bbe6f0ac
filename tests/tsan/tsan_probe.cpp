// Shows that the ThreadSanitizer build can fail, and why it does not fail falsely.
//   tsan_probe race     two oneTBB tasks on two threads write one plain int: TSan must
//                       report a data race (exit 66). If it does not, the TSan check of
//                       the test suite is vacuous.
//   tsan_probe handoff  the same two tasks each fill their own vector, which the main
//                       thread then moves and frees after parallel_for: correct, so it
//                       must be clean. With Debian's uninstrumented libtbb TSan cannot see
//                       the join and reports it (the false positives scripts/tsan.sh
//                       avoids by building oneTBB with TSan).
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <vector>

namespace {

/// Holds each of the two tasks until both have started, so they run on two threads.
/// The writes come after it: only oneTBB's join orders them with the main thread.
bool meet(std::atomic<int>& arrived) {
  arrived.fetch_add(1);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (arrived.load() < 2)
    if (std::chrono::steady_clock::now() > give_up) return false;
  return true;
}

/// Written by both tasks: the seeded race. On a cache line of its own, so TSan's few
/// shadow cells per 8 bytes hold only these writes and cannot drop one.
struct alignas(64) Racy {
  int count = 0;
};

int run(bool race) {
  std::atomic<int> arrived{0};
  std::atomic<bool> met{true};
  Racy shared;
  std::vector<std::vector<double>> slots(2);  // one per task: no race
  tbb::task_arena arena(2);
  arena.execute([&] {
    tbb::parallel_for(
        0, 2, 1,
        [&](int task) {
          if (!meet(arrived)) met = false;
          if (race) ++shared.count;
          slots[task].assign(1000, task + 1.0);
        },
        tbb::simple_partitioner());
  });
  if (!met) {
    std::fprintf(stderr, "tsan_probe: the two tasks never ran on two threads\n");
    return 2;
  }
  std::vector<std::vector<double>> taken = std::move(slots);  // moved and freed on this thread
  const double total =
      std::accumulate(taken[0].begin(), taken[0].end(), 0.0) + std::accumulate(taken[1].begin(), taken[1].end(), 0.0);
  std::printf("tsan_probe %s: two tasks on two threads, total %.0f, count %d\n", race ? "race" : "handoff", total,
              shared.count);
  return total == 3000.0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || (std::strcmp(argv[1], "race") != 0 && std::strcmp(argv[1], "handoff") != 0)) {
    std::fprintf(stderr, "usage: tsan_probe race|handoff\n");
    return 2;
  }
  return run(std::strcmp(argv[1], "race") == 0);
}
