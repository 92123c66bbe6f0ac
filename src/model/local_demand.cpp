// MODEL.md step 2: local demand with input-output spillovers (Eigen).
#include "smesim/model/local_demand.hpp"

#include <algorithm>

#include "smesim/core/error.hpp"

namespace smesim {

LocalDemand::LocalDemand(const std::string& city, const std::vector<double>& output,
                         const std::vector<std::vector<double>>& coefficients, double cap,
                         const std::vector<double>& consumption_shares, double mpc)
    : mpc_(mpc) {
  const auto n = static_cast<Eigen::Index>(output.size());
  x_ = Eigen::Map<const Eigen::VectorXd>(output.data(), n);
  c_ = Eigen::Map<const Eigen::VectorXd>(consumption_shares.data(), n);
  a_.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) a_(i, j) = x_(i) > 0 && x_(j) > 0 ? coefficients[i][j] : 0.0;
  // Local SMEs are not a sector's only buyers: cap each supplier's sales to them.
  for (Eigen::Index i = 0; i < n; ++i) {
    const double sales = a_.row(i).dot(x_);
    if (sales > cap * x_(i) && sales > 0) a_.row(i) *= cap * x_(i) / sales;
  }
  const Eigen::MatrixXd i_minus_a = Eigen::MatrixXd::Identity(n, n) - a_;
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(i_minus_a);
  if (!lu.isInvertible())
    throw ScenarioError("cities." + city + ".input_output: I - A is singular; lower the coefficients");
  l_ = lu.inverse();
  if (l_.minCoeff() < -1e-12)
    throw ScenarioError("cities." + city +
                        ".input_output: the Leontief inverse (I - A)^-1 has negative entries; "
                        "the coefficients are not a productive economy");
  f_ = i_minus_a * x_;
}

DemandParts LocalDemand::demand(const std::vector<double>& shock, const std::vector<double>& programme,
                                double wage_fall) const {
  const auto n = x_.size();
  const Eigen::VectorXd g = Eigen::Map<const Eigen::VectorXd>(shock.data(), n);
  const Eigen::VectorXd p = Eigen::Map<const Eigen::VectorXd>(programme.data(), n);
  const Eigen::VectorXd direct = -g.cwiseProduct(f_);
  const Eigen::VectorXd indirect = l_ * direct - direct;
  const Eigen::VectorXd induced = l_ * (-mpc_ * wage_fall * c_);
  const Eigen::VectorXd from_programme = l_ * p - p;
  DemandParts out;
  for (Eigen::Index s = 0; s < n; ++s) {
    const double x = x_(s);
    const auto share = [x](double v) { return x > 0 ? v / x : 0.0; };
    out.direct.push_back(x > 0 ? direct(s) / x : -g(s));
    out.indirect.push_back(share(indirect(s)));
    out.induced.push_back(share(induced(s)));
    out.programme.push_back(share(from_programme(s)));
    out.index.push_back(
        std::max(0.0, 1.0 + out.direct.back() + out.indirect.back() + out.induced.back() + out.programme.back()));
  }
  return out;
}

}  // namespace smesim
