#include "libsim/at/command_table.hpp"

#include <stdexcept>

namespace simdev::at {

std::optional<Request> parse_request(std::string_view line, bool accept_lower_prefix) {
  if (line.size() < 2) return std::nullopt;
  std::string_view prefix = line.substr(0, 2);
  if (prefix != "AT" && !(accept_lower_prefix && prefix == "at")) return std::nullopt;
  std::string_view rest = line.substr(2);
  Request req;
  if (!rest.empty() && rest.front() == '+') {
    req.extended = true;
    rest.remove_prefix(1);
    std::size_t end = rest.find_first_of("=?");
    req.name = std::string(rest.substr(0, end));
    if (end == std::string_view::npos) {
      req.form = Form::execute;
    } else if (rest.substr(end) == "?") {
      req.form = Form::query;
    } else if (rest.substr(end) == "=?") {
      req.form = Form::test;
    } else if (rest[end] == '=') {
      req.form = Form::set;
      req.args = std::string(rest.substr(end + 1));
    } else {
      return std::nullopt;  // text after '?'
    }
    return req;
  }
  req.name = std::string(rest);
  return req;
}

std::string table_key(const Request& req) { return req.extended ? "+" + req.name : req.name; }

const Handler& CommandRow::handler(Form form) const {
  switch (form) {
    case Form::test: return test;
    case Form::query: return query;
    case Form::set: return set;
    case Form::execute: return execute;
  }
  return execute;
}

void CommandTable::add(CommandRow row) {
  std::string key = row.name;
  if (!rows_.emplace(key, std::move(row)).second) throw std::logic_error("duplicate AT command row " + key);
}

const CommandRow* CommandTable::find(std::string_view name) const {
  auto it = rows_.find(name);
  return it == rows_.end() ? nullptr : &it->second;
}

}  // namespace simdev::at
