#pragma once
// The PEM text AT+CASEND / AT+CLICASEND / AT+AWSPKSEND take after their `> ` prompt (§5): lines ending in CRLF
// or LF, from the BEGIN line up to and including the END line and its line ending.
//
// What counts as malformed (the module answers ERROR at once and the rest of the input is read as commands):
// - the first non-blank line is not a BEGIN line with a marker the command takes;
// - an END line with another marker, or a second BEGIN line, before the matching END line;
// - more than max_bytes of text before the END line (ERROR at the end of the line that overflows);
// - text OpenSSL cannot read as a certificate / private key of that marker.
// Blank lines before the BEGIN line are skipped; trailing spaces and the CR of each line are dropped.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "libsim/util/bytes.hpp"

namespace simdev::wizfi360 {

enum class PemKind { certificate, private_key };

// Markers after "-----BEGIN " a kind accepts: CERTIFICATE; RSA PRIVATE KEY (the module's own), PRIVATE KEY
// (PKCS#8) and EC PRIVATE KEY.
const std::vector<std::string_view>& pem_markers(PemKind kind);

// True when `pem` holds an object of `kind` OpenSSL can load (never prompts for a pass phrase).
bool pem_loads(PemKind kind, const std::string& pem);

class PemUpload {
 public:
  enum class Status { more, done, malformed };

  PemUpload(PemKind kind, std::size_t max_bytes) : kind_(kind), max_bytes_(max_bytes) {}

  // Takes bytes until the upload is finished (done or malformed); returns how many it took. Bytes after the
  // finishing line ending are left to the caller.
  std::size_t feed(ByteView bytes);
  Status status() const { return status_; }
  // The accepted text, lines joined with "\n" (standard PEM), once status() is done.
  const std::string& pem() const { return pem_; }

 private:
  void take_line(std::string line);
  void finish();

  PemKind kind_;
  std::size_t max_bytes_;
  Status status_ = Status::more;
  std::string marker_;  // empty until the BEGIN line
  std::string line_;
  bool overflow_ = false;
  std::string pem_;
};

}  // namespace simdev::wizfi360
