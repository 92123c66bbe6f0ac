// Running work items over MPI ranks (a thin layer over the MPI C API).
#include "smesim/engine/distributed.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

#ifdef SMESIM_WITH_MPI
#include <mpi.h>
#endif

#include "smesim/core/error.hpp"

namespace smesim {

#ifdef SMESIM_WITH_MPI
namespace {

/// Launchers set one of these in every process they start.
bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS"})
    if (std::getenv(v)) return true;
  return false;
}

}  // namespace
#endif

bool built_with_mpi() {
#ifdef SMESIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

MpiSession::MpiSession(int& argc, char**& argv) {
#ifdef SMESIM_WITH_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  // Results are sent and items asked for from TBB worker threads, one at a time (under a lock).
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &comm_.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &comm_.size);
  if (comm_.size > 1 && provided < MPI_THREAD_SERIALIZED)
    throw Error("MPI: this MPI library cannot be called from worker threads (MPI_THREAD_SERIALIZED)");
#else
  (void)argc, (void)argv;
#endif
}

MpiSession::~MpiSession() {
#ifdef SMESIM_WITH_MPI
  if (active_) MPI_Finalize();
#endif
}

void MpiSession::abort(int code) const {
#ifdef SMESIM_WITH_MPI
  if (active_ && comm_.size > 1) MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
#endif
}

namespace mpi {

#ifdef SMESIM_WITH_MPI
void send_to_root(const std::vector<char>& bytes, int tag) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, tag, MPI_COMM_WORLD);
}

int receive(std::vector<char>& bytes, int& source) {
  // Poll and sleep rather than block in MPI_Probe: Open MPI's blocking calls spin, and
  // rank 0 computes its own share on the same cores meanwhile. Ranks ask for their
  // next item ahead, so the sleep delays no one.
  MPI_Status status;
  for (int flag = 0;;) {
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (flag) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  bytes.resize(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  source = status.MPI_SOURCE;
  return status.MPI_TAG;
}

void ask_item(int tag) { MPI_Send(nullptr, 0, MPI_CHAR, 0, tag, MPI_COMM_WORLD); }

namespace {
constexpr long long kNone = -1, kLater = -2;  // the answers that are not an item
}  // namespace

ItemAnswer answered_item() {
  long long item = kNone;
  MPI_Recv(&item, 1, MPI_LONG_LONG, 0, kItemTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (item == kLater) return {std::nullopt, true};
  return {item < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(item)), false};
}

void send_item(int rank, std::optional<std::size_t> item) {
  const long long value = item ? static_cast<long long>(*item) : kNone;
  MPI_Send(&value, 1, MPI_LONG_LONG, rank, kItemTag, MPI_COMM_WORLD);
}

void send_later(int rank) { MPI_Send(&kLater, 1, MPI_LONG_LONG, rank, kItemTag, MPI_COMM_WORLD); }

void broadcast(std::vector<char>& flags) {
  unsigned long long n = flags.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  flags.resize(n);
  if (n > 0) MPI_Bcast(flags.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
}
#else
void send_to_root(const std::vector<char>&, int) { throw Error("MPI: not built with MPI"); }
int receive(std::vector<char>&, int&) { throw Error("MPI: not built with MPI"); }
void ask_item(int) { throw Error("MPI: not built with MPI"); }
ItemAnswer answered_item() { throw Error("MPI: not built with MPI"); }
void send_item(int, std::optional<std::size_t>) { throw Error("MPI: not built with MPI"); }
void send_later(int) { throw Error("MPI: not built with MPI"); }
void broadcast(std::vector<char>&) {}
#endif

}  // namespace mpi
}  // namespace smesim
