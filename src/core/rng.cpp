// Samplers over a Stream that take a varying number of words.
#include "smesim/core/rng.hpp"

namespace smesim {

double gamma_draw(Stream& s, double a) {
  const GammaShape g(a < 1.0 ? a + 1.0 : a);
  for (;;) {
    const double x = s.normal();
    const double root = 1.0 + g.c * x;
    if (root <= 0.0) continue;
    const double v = root * root * root;
    const double u = s.uniform();
    const double squeezed = gamma_squeeze(g, x, u);
    if (!std::isnan(squeezed) || std::log(u) < 0.5 * x * x + g.d * (1.0 - v + std::log(v)))
      return a < 1.0 ? g.d * v * std::pow(s.uniform(), 1.0 / a) : g.d * v;
  }
}

double beta_draw(Stream& s, double a, double b) {
  for (;;) {  // both gammas can underflow to 0 when a and b are far below 1: draw again
    const double x = gamma_draw(s, a);
    const double sum = x + gamma_draw(s, b);
    if (sum > 0.0) return x / sum;
  }
}

}  // namespace smesim
