// Running work items over MPI ranks: each rank computes its share of (point, replication)
// items with its TBB threads; rank 0 receives the results and writes the one file.
#pragma once

#include <string>
#include <vector>

namespace smesim {

/// The MPI process group this process belongs to; one process without MPI.
struct Comm {
  int rank = 0;
  int size = 1;
};

/// Initialises MPI when the process was started by an MPI launcher (mpirun/srun) and
/// finalises it on destruction; otherwise does nothing. Create one, in main().
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  const Comm& comm() const { return comm_; }
  /// Ends every rank after an error on one of them (exit code `code`).
  void abort(int code) const;

 private:
  Comm comm_;
  bool active_ = false;
};

/// True if this binary was built with MPI.
bool built_with_mpi();

namespace mpi {

/// Tags of the messages between ranks.
inline constexpr int kResultTag = 1;
inline constexpr int kEndTag = 2;

/// Sends `bytes` to rank 0 with `tag`.
void send_to_root(const std::vector<char>& bytes, int tag);
/// Receives the next message for rank 0: fills `bytes` and returns its tag.
int receive(std::vector<char>& bytes);
/// Broadcasts `flags` from rank 0 to every rank (resized on the others).
void broadcast(std::vector<char>& flags);

}  // namespace mpi
}  // namespace smesim
