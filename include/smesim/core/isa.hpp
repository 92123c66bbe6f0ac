// The instruction sets the vectorised code has builds for, and which one this CPU runs.
#pragma once

namespace smesim {

/// Instruction sets with builds of the vectorised code, narrowest first. Every build
/// gives the same bits (tests compare them); the widest the CPU has is run. AVX-512
/// means F, VL, DQ and BW (with AVX2).
enum class Isa { kX86_64, kAvx2, kAvx512 };

/// The widest of them this CPU runs.
Isa cpu_isa();

}  // namespace smesim

/// The target attribute string of the AVX-512 builds.
#define SMESIM_TARGET_AVX512 "avx2,avx512f,avx512vl,avx512dq,avx512bw"
/// The same, with 64-byte vectors where GCC vectorises loops (it prefers 32 bytes):
/// for loops of transcendental functions, long runs of arithmetic, twice the lanes an
/// instruction. (Clang, which builds the sanitizer runs and lints, has no such option.)
#ifdef __clang__
#define SMESIM_TARGET_AVX512_WIDE SMESIM_TARGET_AVX512
#else
#define SMESIM_TARGET_AVX512_WIDE SMESIM_TARGET_AVX512 ",prefer-vector-width=512"
#endif
