#pragma once
// A device's AT command set as data: one row per command name with a handler per form.
// Parsing the line into (name, form, argument text) is shared; what a missing form or an unknown name
// answers is the device's business.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace simdev::at {

enum class Form { execute, query, test, set };  // AT+X, AT+X?, AT+X=?, AT+X=...

struct Request {
  std::string name;  // spelling as received after "AT" / "AT+" (e.g. "CWMODE_CUR", "E0", "" for plain AT)
  Form form = Form::execute;
  std::string args;  // text after '=' for Form::set
  bool extended = false;  // "AT+..." rather than a basic "AT..." command
};

// Parses `AT+NAME[=?|?|=args]` or a basic `AT<name>` line. nullopt when the line does not start with AT.
// `accept_lower_prefix` also takes "at" as the prefix (command names stay case-sensitive).
std::optional<Request> parse_request(std::string_view line, bool accept_lower_prefix);

// The row name a request looks up: "+NAME" for extended commands, the bare name for basic ones ("E0", "").
std::string table_key(const Request& req);

using Handler = std::function<void(const Request&)>;

struct CommandRow {
  std::string name{};  // as table_key() spells it
  Handler test{}, query{}, set{}, execute{};
  bool allowed_while_busy = false;

  const Handler& handler(Form form) const;
};

class CommandTable {
 public:
  void add(CommandRow row);
  const CommandRow* find(std::string_view name) const;
  std::size_t size() const { return rows_.size(); }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [name, row] : rows_) f(row);
  }

 private:
  std::map<std::string, CommandRow, std::less<>> rows_;
};

}  // namespace simdev::at
