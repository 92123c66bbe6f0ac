// Version and build provenance of this smesim binary.
#pragma once

namespace smesim {
/// The release version, e.g. "0.1.0".
const char* version();
/// The git commit the binary was built from (12 hex digits), or "unknown".
const char* git_commit();
}  // namespace smesim
