// Packing a work item's output into bytes and back, to send it between MPI ranks.
#include "smesim/engine/item_bytes.hpp"

#include <cstring>

#include "smesim/core/error.hpp"

namespace smesim {
namespace {

/// Appends and reads plain values and strings to and from a byte buffer.
class Bytes {
 public:
  explicit Bytes(std::vector<char>& buffer) : b_(buffer) {}
  template <class T>
  void put(const T& v) {
    const char* p = reinterpret_cast<const char*>(&v);
    b_.insert(b_.end(), p, p + sizeof(T));
  }
  void put(const std::string& s) {
    put(s.size());
    b_.insert(b_.end(), s.begin(), s.end());
  }
  void put(const std::vector<double>& v) {
    put(v.size());
    const char* p = reinterpret_cast<const char*>(v.data());
    b_.insert(b_.end(), p, p + v.size() * sizeof(double));
  }
  template <class T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));
    return v;
  }
  std::string get_string() {
    const auto n = get<std::size_t>();
    return std::string(take(n), n);
  }
  std::vector<double> get_doubles() {
    const auto n = get<std::size_t>();
    std::vector<double> v(n);
    if (n) std::memcpy(v.data(), take(n * sizeof(double)), n * sizeof(double));
    return v;
  }

 private:
  const char* take(std::size_t n) {
    if (at_ + n > b_.size()) throw Error("MPI: a result message is truncated");
    const char* p = b_.data() + at_;
    at_ += n;
    return p;
  }
  std::vector<char>& b_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<char> pack(const ItemOutput& o) {
  std::vector<char> buffer;
  Bytes b(buffer);
  b.put(o.item);
  b.put(o.slabs.size());
  for (const auto& [name, data] : o.slabs) b.put(name), b.put(data);
  b.put(o.tables.size());
  for (const Table& t : o.tables) {
    b.put(t.group), b.put(t.dim), b.put(t.long_name), b.put(t.rows), b.put(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      b.put(t.columns[c].name), b.put(t.columns[c].long_name), b.put(t.columns[c].units), b.put(t.data[c]);
  }
  return buffer;
}

ItemOutput unpack(const std::vector<char>& bytes) {
  std::vector<char> copy = bytes;
  Bytes b(copy);
  ItemOutput o;
  o.item = b.get<std::size_t>();
  for (auto n = b.get<std::size_t>(); n > 0; --n) {
    std::string name = b.get_string();
    o.slabs.emplace_back(std::move(name), b.get_doubles());
  }
  for (auto n = b.get<std::size_t>(); n > 0; --n) {
    Table t;
    t.group = b.get_string(), t.dim = b.get_string(), t.long_name = b.get_string();
    t.rows = b.get<std::size_t>();
    for (auto c = b.get<std::size_t>(); c > 0; --c) {
      Variable v;
      v.name = b.get_string(), v.long_name = b.get_string(), v.units = b.get_string();
      v.dims = {t.dim};
      t.columns.push_back(v);
      t.data.push_back(b.get_doubles());
    }
    o.tables.push_back(std::move(t));
  }
  return o;
}

}  // namespace smesim
