#pragma once
// `simdev wizcfg`: a command-line WIZ550S2E configuration tool speaking the vendor tool's UDP protocol
// (search, get, set, reset, factory-reset, upload). main.cpp parses the flags; this file does the rest.
#include <cstdio>
#include <string>
#include <vector>

namespace simdev::apps::wizcfg {

struct Options {
  std::vector<std::string> words;  // COMMAND [MAC] [FIELD=VALUE... | FILE]
  std::string target = "127.0.0.1:6550";
  int timeout_ms = 1000;
  bool json = false;
  std::string password;
  bool password_given = false;
  std::string tftp;  // upload: TFTP server address as the module sees it (IPv4[:port])
};

// Runs one command and returns the exit code: 0 done, 1 no (or no matching) reply in time, 2 usage error (the
// message names the argument or field).
int run(const Options& options, std::FILE* out = stdout, std::FILE* err = stderr);

// The synopsis for --help.
const char* usage_footer();

}  // namespace simdev::apps::wizcfg
