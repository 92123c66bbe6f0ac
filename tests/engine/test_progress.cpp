// Progress on stderr: rewritten in place on a terminal, plain throttled lines in a batch log.
#include <catch2/catch.hpp>
#include <string>

#include "smesim/engine/progress.hpp"

using namespace smesim;

namespace {

/// What `report` wrote to a temporary file.
template <class F>
std::string written(F report) {
  std::FILE* f = std::tmpfile();
  report(f);
  std::rewind(f);
  std::string text;
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  std::fclose(f);
  return text;
}

}  // namespace

TEST_CASE("in a batch log progress is plain lines, at most one per interval, and the last") {
  const std::string text = written([](std::FILE* f) {
    Progress p(10, true, true, f, 10.0);
    p.done(1, 2.0);    // too soon after the start
    p.done(2, 10.4);   // a line
    p.done(3, 15.0);   // too soon after the last line
    p.done(4, 20.8);   // a line
    p.done(10, 22.0);  // the end, always
  });
  CHECK(text ==
        "smesim: replications 2/10 done, 11.5 per minute, 10 s elapsed, about 42 s left\n"
        "smesim: replications 4/10 done, 11.5 per minute, 21 s elapsed, about 31 s left\n"
        "smesim: replications 10/10 done, 27.3 per minute, 22 s elapsed, about 0 s left\n");
  CHECK(text.find('\r') == std::string::npos);
}

TEST_CASE("on a terminal progress rewrites one line after every item; disabled it writes nothing") {
  const std::string text = written([](std::FILE* f) {
    Progress p(2, true, false, f, 10.0);
    p.done(1, 1.0);
    p.done(2, 2.0);
  });
  CHECK(text == "\rreplications 1/2, 1 s elapsed, ETA 1 s   \rreplications 2/2, 2 s elapsed, ETA 0 s   \n");
  CHECK(written([](std::FILE* f) { Progress(2, false, true, f).done(2, 30.0); }).empty());
}
