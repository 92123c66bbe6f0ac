// Branch-free float approximations of log, cos and exp, written so that the compiler
// can vectorise loops over them. Plain IEEE float arithmetic (no FMA contraction in ISO
// mode), so scalar and vector code give the same bits on every x86-64 machine.
// Coefficients: Cephes (S. Moshier), single precision; errors are tested against libm.
#pragma once

#include <bit>
#include <cstdint>

namespace smesim::fast {

/// Natural log for x > 0 (normal floats); relative error below 1e-6.
inline float log(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  int e = static_cast<int>((bits >> 23) & 0xff) - 126;
  float m = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f000000u);  // [0.5, 1)
  const bool low = m < 0.707106781186547524f;
  e -= low ? 1 : 0;
  m = low ? m + m - 1.0f : m - 1.0f;
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  const float ef = static_cast<float>(e);
  y += -2.12194440e-4f * ef;
  y += -0.5f * z;
  return m + y + 0.693359375f * ef;
}

/// cos(2 pi t) for any finite t; absolute error below 1e-6.
inline float cos_2pi(float t) {
  float a = t - static_cast<float>(static_cast<int>(t));  // (-1, 1)
  a = a < 0 ? -a : a;                                     // cos is even
  a = a > 0.5f ? 1.0f - a : a;                            // [0, 0.5]
  const bool flip = a > 0.25f;
  a = flip ? 0.5f - a : a;                                         // [0, 0.25], cos(pi - x) = -cos x
  const bool use_sin = a > 0.125f;                                 // cos x = sin(pi/2 - x)
  const float x = 6.283185307179586f * (use_sin ? 0.25f - a : a);  // [0, pi/4]
  const float z = x * x;
  const float c =
      1.0f - 0.5f * z + z * z * ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f);
  const float s = x + x * z * ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f);
  const float r = use_sin ? s : c;
  return flip ? -r : r;
}

/// e^x for |x| < 80; relative error below 1e-6.
inline float exp(float x) {
  const float n = static_cast<float>(static_cast<int>(x * 1.44269504088896341f + (x < 0 ? -0.5f : 0.5f)));
  const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const std::uint32_t scale = static_cast<std::uint32_t>(static_cast<int>(n) + 127) << 23;
  return y * std::bit_cast<float>(scale);
}

}  // namespace smesim::fast
