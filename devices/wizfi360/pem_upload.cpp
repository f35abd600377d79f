#include "devices/wizfi360/pem_upload.hpp"

#include <algorithm>
#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace simdev::wizfi360 {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";

// The marker of a `-----BEGIN <marker>-----` / `-----END <marker>-----` line, or empty.
std::string_view marker_of(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix) || !line.ends_with(kDashes) || line.size() <= prefix.size() + kDashes.size())
    return {};
  return line.substr(prefix.size(), line.size() - prefix.size() - kDashes.size());
}

// Refuses every pass phrase request, so an encrypted key fails instead of prompting on the terminal.
int no_pass_phrase(char*, int, int, void*) { return 0; }

}  // namespace

const std::vector<std::string_view>& pem_markers(PemKind kind) {
  static const std::vector<std::string_view> certificate{"CERTIFICATE"};
  // The firmware knows only the PKCS#1 RSA markers (spec §5): a PKCS#8 or EC key is a wrong marker.
  static const std::vector<std::string_view> key{"RSA PRIVATE KEY"};
  return kind == PemKind::certificate ? certificate : key;
}

bool pem_loads(PemKind kind, const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  if (kind == PemKind::certificate) {
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, no_pass_phrase, nullptr),
                                                     X509_free);
    return cert != nullptr;
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, no_pass_phrase, nullptr), EVP_PKEY_free);
  return key != nullptr;
}

std::size_t PemUpload::feed(ByteView bytes) {
  std::size_t taken = 0;
  while (taken < bytes.size() && status_ == Status::more) {
    const char c = static_cast<char>(bytes[taken++]);
    if (c != '\n') {
      if (pem_.size() + line_.size() < max_bytes_) {
        line_ += c;
      } else {
        overflow_ = true;  // the rest of this line is dropped; the upload fails at its end
      }
      continue;
    }
    if (overflow_) {
      status_ = Status::malformed;
      break;
    }
    take_line(std::move(line_));
    line_.clear();
  }
  return taken;
}

void PemUpload::take_line(std::string line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  if (marker_.empty()) {
    if (line.empty()) return;
    const std::string_view marker = marker_of(line, kBegin);
    const auto& allowed = pem_markers(kind_);
    if (std::find(allowed.begin(), allowed.end(), marker) == allowed.end()) {
      status_ = Status::malformed;
      return;
    }
    marker_ = marker;
  } else if (line.starts_with(kBegin)) {
    status_ = Status::malformed;
    return;
  } else if (line.starts_with(kEnd)) {
    pem_ += line + "\n";
    if (marker_of(line, kEnd) != marker_) {
      status_ = Status::malformed;
      return;
    }
    return finish();
  }
  pem_ += line + "\n";
}

void PemUpload::finish() { status_ = pem_loads(kind_, pem_) ? Status::done : Status::malformed; }

}  // namespace simdev::wizfi360
