#include "tests/conformance/wizfi360/transcript.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

namespace simdev::test {

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\' || i + 1 >= text.size()) {
      out.push_back(c);
      continue;
    }
    char e = text[++i];
    switch (e) {
      case 'r': out.push_back('\r'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case '\\': out.push_back('\\'); break;
      case '"': out.push_back('"'); break;
      case 'x':
        if (i + 2 >= text.size()) throw std::runtime_error("truncated \\x escape");
        out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
        i += 2;
        break;
      default: throw std::runtime_error(std::string("unknown escape \\") + e);
    }
  }
  return out;
}

std::vector<Step> load_transcript(const std::filesystem::path& file) {
  static const std::map<std::string, Step::Kind> kWords = {
      {"config", Step::Kind::config}, {"wait", Step::Kind::wait},       {"quiet", Step::Kind::quiet},
      {"control", Step::Kind::control}, {"reply", Step::Kind::reply},   {"state", Step::Kind::state},
      {"uart", Step::Kind::uart},     {"restart", Step::Kind::restart}, {"noboot", Step::Kind::noboot}};
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::vector<Step> steps;
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    if (raw.empty() || raw[0] == '#') continue;
    try {
      if (raw.rfind("> ", 0) == 0 || raw == ">") {
        steps.push_back({Step::Kind::input, unescape(raw.size() > 2 ? raw.substr(2) : ""), number});
        continue;
      }
      if (raw.rfind("< ", 0) == 0 || raw == "<") {
        std::string bytes = unescape(raw.size() > 2 ? raw.substr(2) : "");
        if (!steps.empty() && steps.back().kind == Step::Kind::expect) {
          steps.back().text += bytes;
        } else {
          steps.push_back({Step::Kind::expect, bytes, number});
        }
        continue;
      }
      auto space = raw.find(' ');
      std::string word = raw.substr(0, space);
      auto it = kWords.find(word);
      if (it == kWords.end()) throw std::runtime_error("unknown step '" + word + "'");
      steps.push_back({it->second, space == std::string::npos ? "" : raw.substr(space + 1), number});
    } catch (const std::exception& e) {
      throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return steps;
}

}  // namespace simdev::test
