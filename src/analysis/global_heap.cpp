// Checking HDF5 global heap collections before HDF5 reads them (see the header).
#include "smesim/analysis/detail/global_heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <map>

namespace smesim::detail {

std::uint64_t little_endian(std::span<const std::uint8_t> bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = width; i-- > 0;) v = (v << 8) | bytes[at + i];
  return v;
}

std::string decode_heap_references(std::span<const std::uint8_t> raw, std::size_t count, std::size_t sizeof_addr,
                                   std::vector<HeapReference>& out) {
  const std::size_t width = 4 + sizeof_addr + 4;
  if (sizeof_addr == 0 || sizeof_addr > 8) return "an address size of " + std::to_string(sizeof_addr) + " bytes";
  if (raw.size() / width < count)
    return std::to_string(raw.size()) + " bytes of storage for " + std::to_string(count) + " strings";
  out.clear();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = i * width;
    out.push_back({static_cast<std::uint32_t>(little_endian(raw, at, 4)), little_endian(raw, at + 4, sizeof_addr),
                   static_cast<std::uint32_t>(little_endian(raw, at + 4 + sizeof_addr, 4))});
  }
  return {};
}

std::string global_heap_problem(std::span<const std::uint8_t> collection, std::size_t sizeof_size,
                                const std::vector<HeapReference>& wanted) {
  const std::size_t header = 8 + sizeof_size;         // "GCOL", version, 3 reserved, collection size
  const std::size_t object_header = 8 + sizeof_size;  // index, references, 4 reserved, object size
  const std::size_t n = collection.size();
  if (sizeof_size == 0 || sizeof_size > 8) return "a length size of " + std::to_string(sizeof_size) + " bytes";
  if (n < header || std::string(collection.begin(), collection.begin() + 4) != "GCOL" || collection[4] != 1)
    return "no global heap collection where a string points";
  if (little_endian(collection, 8, sizeof_size) != n) return "a global heap collection of the wrong size";
  std::map<std::uint32_t, std::uint64_t> sizes;  // object index -> size
  for (std::size_t p = header; p < n;) {
    if (p + object_header > n) break;  // a tail too small for an object is free space
    const auto index = static_cast<std::uint32_t>(little_endian(collection, p, 2));
    const std::uint64_t size = little_endian(collection, p + 8, sizeof_size);
    if (size > n - p) return "a global heap object runs past its collection";
    // As HDF5 walks it: a used object takes its header and its data aligned to 8 bytes;
    // free space (index 0) gives its whole size, header included.
    const std::uint64_t need = index > 0 ? object_header + ((size + 7) / 8) * 8 : size;
    if (need == 0) return "a global heap object of size 0 (HDF5 would loop for ever)";
    if (need > n - p) return "a global heap object runs past its collection";
    if (index > 0) sizes[index] = size;
    p += static_cast<std::size_t>(need);
  }
  for (const HeapReference& r : wanted) {
    const auto it = sizes.find(r.index);
    if (r.index == 0 || it == sizes.end()) return "a string points to a global heap object that does not exist";
    if (it->second != r.length) return "a string's length disagrees with its global heap object";
  }
  return {};
}

namespace {

/// A read-only mapping of a whole file, unmapped when it goes.
class Mapped {
 public:
  explicit Mapped(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const std::uint8_t*>(p);
        size_ = static_cast<std::size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~Mapped() {
    if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
  }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace

std::string file_global_heap_problem(const std::filesystem::path& path, std::size_t sizeof_size) {
  const Mapped file(path);
  const auto bytes = file.bytes();
  const std::size_t header = 8 + sizeof_size;
  for (std::size_t at = 0; at + header <= bytes.size();) {
    const void* hit = ::memmem(bytes.data() + at, bytes.size() - at, "GCOL", 4);
    if (!hit) break;
    at = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - bytes.data());
    const bool collection = at + header <= bytes.size() && bytes[at + 4] == 1 && bytes[at + 5] == 0 &&
                            bytes[at + 6] == 0 && bytes[at + 7] == 0;
    if (collection) {
      const std::uint64_t size = little_endian(bytes, at + 8, sizeof_size);
      std::string problem = size > bytes.size() - at ? "a global heap collection runs past the end of the file"
                                                     : global_heap_problem(bytes.subspan(at, size), sizeof_size, {});
      if (!problem.empty()) return "byte " + std::to_string(at) + ": " + problem;
    }
    at += 4;
  }
  return {};
}

}  // namespace smesim::detail
