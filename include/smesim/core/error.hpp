// The exception hierarchy: main() is the only place that turns these into exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace smesim {

/// Base of every error smesim reports to the user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  /// Process exit code for this error: 2 for bad input, 1 for runtime failures.
  virtual int exit_code() const noexcept { return 1; }
};

/// Bad input: scenario files, command-line options, input files. Exit code 2.
class InputError : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return 2; }
};

/// A scenario that cannot be parsed or fails validation; the message names file, line,
/// column and key.
class ScenarioError : public InputError {
 public:
  using InputError::InputError;
};

/// A result file that cannot be written, or read back.
class OutputError : public Error {
 public:
  using Error::Error;
};

/// A run stopped by a signal; its partial output can be resumed. Exit code 130.
class Interrupted : public Error {
 public:
  using Error::Error;
  int exit_code() const noexcept override { return 130; }
};

}  // namespace smesim
