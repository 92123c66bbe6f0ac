// MODEL.md step 2: local demand with input-output spillovers (Eigen).
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

namespace smesim {

/// A city's demand index and its parts, per sector: D = max(0, 1 + direct + indirect +
/// induced + programme).
struct DemandParts {
  std::vector<double> index;      ///< D
  std::vector<double> direct;     ///< -g F / X: the shock to this sector's own final demand
  std::vector<double> indirect;   ///< ((L - I)(-g F)) / X: through local supply chains
  std::vector<double> induced;    ///< L(-mpc dW c) / X: through lost wages
  std::vector<double> programme;  ///< ((L - I) P) / X: contractors' purchases from local SMEs
};

/// The local economy of one city, fixed at the end of burn-in.
class LocalDemand {
 public:
  /// Builds the model from baseline output X (USD per month per sector), the coefficient
  /// matrix A[supplier][buyer], the cap on sales to local SMEs as a share of output,
  /// household consumption shares and the mpc. Throws ScenarioError (naming `city`) if
  /// I - A is singular or its inverse has negative entries.
  LocalDemand(const std::string& city, const std::vector<double>& output,
              const std::vector<std::vector<double>>& coefficients, double max_intermediate_share,
              const std::vector<double>& consumption_shares, double mpc);

  /// Demand this month from the direct shocks g (share of final demand lost, per
  /// sector), last month's programme payments P (USD by supplier sector) and last
  /// month's fall of the wage bill against baseline dW (USD).
  DemandParts demand(const std::vector<double>& shock, const std::vector<double>& programme, double wage_fall) const;

  const Eigen::MatrixXd& coefficients() const { return a_; }  ///< A after the cap
  const Eigen::MatrixXd& leontief() const { return l_; }      ///< L = (I - A)^-1
  const Eigen::VectorXd& final_demand() const { return f_; }  ///< F = (I - A) X

 private:
  Eigen::VectorXd x_, f_, c_;
  Eigen::MatrixXd a_, l_;
  double mpc_;
};

}  // namespace smesim
