// Running work items over MPI ranks: each rank computes its share of (point, replication)
// items with its TBB threads; rank 0 receives the results and writes the one file.
#pragma once

#include <cstddef>
#include <optional>
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
inline constexpr int kResultTag = 1;   ///< to rank 0: a finished item's output
inline constexpr int kEndTag = 2;      ///< to rank 0: this rank runs nothing more
inline constexpr int kRequestTag = 3;  ///< to rank 0: which item next, now?
inline constexpr int kItemTag = 4;     ///< from rank 0: the item to run, none, or ask again later
inline constexpr int kAheadTag = 5;    ///< to rank 0: which item after the one this rank starts?

/// Sends `bytes` to rank 0 with `tag`.
void send_to_root(const std::vector<char>& bytes, int tag);
/// Receives the next message for rank 0: fills `bytes` and `source` (the sender's rank)
/// and returns its tag.
int receive(std::vector<char>& bytes, int& source);
/// Rank 0's answer to a request for a work item.
struct ItemAnswer {
  std::optional<std::size_t> item;  ///< none: every item is handed out
  bool later = false;               ///< not ahead (too few left): ask again when it is needed
};
/// Asks rank 0 for a work item (`tag` kRequestTag or kAheadTag).
void ask_item(int tag);
/// Waits for rank 0's answer to the last ask_item().
ItemAnswer answered_item();
/// Rank 0's answers to `rank`: an item, or none; ask again later.
void send_item(int rank, std::optional<std::size_t> item);
void send_later(int rank);
/// Broadcasts `flags` from rank 0 to every rank (resized on the others).
void broadcast(std::vector<char>& flags);

}  // namespace mpi
}  // namespace smesim
