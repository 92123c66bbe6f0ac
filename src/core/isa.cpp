// Which of the vectorised builds this CPU runs.
#include "smesim/core/isa.hpp"

namespace smesim {

Isa cpu_isa() {
  static const Isa isa = [] {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2")) return Isa::kX86_64;
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
    return avx512 ? Isa::kAvx512 : Isa::kAvx2;
  }();
  return isa;
}

}  // namespace smesim
