// The item journal beside a partial result file.
#include "smesim/engine/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "smesim/core/error.hpp"
#include "smesim/engine/item_bytes.hpp"

namespace smesim {
namespace {

constexpr std::array<char, 4> kMagic = {'S', 'M', 'J', '1'};
constexpr std::size_t kHeader = kMagic.size() + 2 * sizeof(std::uint64_t);

std::uint64_t fnv1a(const char* p, std::size_t n) {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ULL;
  return h;
}

/// Reads exactly n bytes at the current offset; false at a short read (a torn record).
bool read_exactly(int fd, char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t got = ::read(fd, p, n);
    if (got <= 0) return false;
    p += got, n -= static_cast<std::size_t>(got);
  }
  return true;
}

/// Calls f with each whole record's bytes from the start; returns the offset after the last.
off_t scan(int fd, const std::function<void(const std::vector<char>&)>& f) {
  off_t good = 0;
  ::lseek(fd, 0, SEEK_SET);
  std::array<char, kHeader> header;
  std::vector<char> bytes;
  while (read_exactly(fd, header.data(), kHeader)) {
    std::uint64_t size = 0, sum = 0;
    std::memcpy(&size, header.data() + kMagic.size(), sizeof size);
    std::memcpy(&sum, header.data() + kMagic.size() + sizeof size, sizeof sum);
    if (std::memcmp(header.data(), kMagic.data(), kMagic.size()) != 0 || size > (1ULL << 40)) break;
    bytes.resize(size);
    if (!read_exactly(fd, bytes.data(), size) || fnv1a(bytes.data(), size) != sum) break;
    f(bytes);
    good += static_cast<off_t>(kHeader + size);
  }
  return good;
}

}  // namespace

ItemJournal::ItemJournal(const std::filesystem::path& result, bool keep, const std::string& identity)
    : path_(result.string() + ".partial.journal") {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | (keep ? 0 : O_TRUNC), 0644);
  if (fd_ < 0) throw OutputError(path_.string() + ": cannot open the item journal (" + std::strerror(errno) + ")");
  // Cut a record torn by a kill, so that new records follow the last whole one.
  std::vector<std::vector<char>> first;
  const off_t good = scan(fd_, [&](const std::vector<char>& bytes) {
    if (first.empty()) first.push_back(bytes);
  });
  if (::ftruncate(fd_, good) != 0 || ::lseek(fd_, good, SEEK_SET) != good)
    throw OutputError(path_.string() + ": cannot trim the item journal (" + std::strerror(errno) + ")");
  if (first.empty())
    write_record(std::vector<char>(identity.begin(), identity.end()));
  else if (std::string(first[0].begin(), first[0].end()) != identity)
    throw InputError(path_.string() + ": the item journal belongs to another run (another scenario or --output " +
                     "level); remove it, or resume with the command that wrote it");
}

ItemJournal::~ItemJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void ItemJournal::replay(const std::function<void(const ItemOutput&)>& f) const {
  const off_t end = ::lseek(fd_, 0, SEEK_END);
  bool identity = true;  // the first record is the run's identity, not an item
  scan(fd_, [&](const std::vector<char>& bytes) {
    if (!identity) f(unpack(bytes));
    identity = false;
  });
  ::lseek(fd_, end, SEEK_SET);
}

void ItemJournal::append(const ItemOutput& output) { write_record(pack(output)); }

void ItemJournal::write_record(const std::vector<char>& bytes) {
  const std::uint64_t size = bytes.size(), sum = fnv1a(bytes.data(), bytes.size());
  std::vector<char> record(kMagic.begin(), kMagic.end());
  record.insert(record.end(), reinterpret_cast<const char*>(&size), reinterpret_cast<const char*>(&size) + 8);
  record.insert(record.end(), reinterpret_cast<const char*>(&sum), reinterpret_cast<const char*>(&sum) + 8);
  record.insert(record.end(), bytes.begin(), bytes.end());
  const char* p = record.data();
  for (std::size_t left = record.size(); left > 0;) {
    const ssize_t put = ::write(fd_, p, left);
    if (put <= 0)
      throw OutputError(path_.string() + ": writing the item journal failed (" + std::strerror(errno) + ")");
    p += put, left -= static_cast<std::size_t>(put);
  }
  if (::fdatasync(fd_) != 0)
    throw OutputError(path_.string() + ": syncing the item journal failed (" + std::strerror(errno) + ")");
}

void ItemJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace smesim
