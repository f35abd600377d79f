#pragma once
// Process exit codes of simdev (the lifecycle contract).
namespace simdev {

enum ExitCode : int {
  exit_ok = 0,               // clean shutdown (signal or control "shutdown")
  exit_failure = 1,          // runtime failure
  exit_usage = 2,            // bad flag, bad config value
  exit_endpoint_in_use = 3,  // serial endpoint, listener or control port already taken
};

}  // namespace simdev
