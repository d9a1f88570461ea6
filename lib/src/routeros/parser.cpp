#include "parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace vpnaas::routeros::detail {
namespace {

bool is_word_end(char c) {
  switch (c) {
  case '\0':
  case ' ':
  case '\t':
  case '\r':
  case '\n':
  case '"':
  case '[':
  case ']':
  case '(':
  case ')':
  case '{':
  case '}':
  case ';':
  case '$':
    return true;
  default:
    return false;
  }
}

bool is_key_char(char c) {
  return is_alnum(c) || c == '-' || c == '_' || c == '.';
}

// Where `key=` or `key~` ends inside a bare word, or npos when it is not one.
std::size_t key_end(std::string_view word) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    if ((word[i] == '=' || word[i] == '~') && i > 0) {
      return i;
    }
    if (!is_key_char(word[i])) {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

} // namespace

void DepthGuard::deepen(Position pos) {
  ++m_levels;
  if (++m_parser.m_depth > kMaxDepth && !m_parser.m_abort) {
    m_parser.error(pos,
                   fmt::format("nesting deeper than {} levels; the rest is not read", kMaxDepth));
    m_parser.m_abort = true;
  }
}

void Parser::error(Position pos, std::string message) {
  m_errors.push_back(ReadError{pos, std::move(message)});
}

ReadResult Parser::run() {
  ReadResult result;
  result.commands = parse_commands('\0', {});
  result.errors = std::move(m_errors);
  return result;
}

void Parser::skip_comment() {
  while (!m_cur.raw_at_end() && m_cur.raw_peek() != '\n') {
    m_cur.advance();
  }
}

std::vector<Command> Parser::parse_commands(char close, const Menu& menu) {
  std::vector<Command> out;
  Menu current = menu;
  Position open = m_cur.position();
  while (!m_abort) {
    char c = m_cur.peek();
    if (is_space(c) || c == '\n' || c == ';') {
      m_cur.advance();
      continue;
    }
    if (c == '\0') {
      if (close != '\0') {
        error(open, fmt::format("missing '{}'", close));
      }
      break;
    }
    if (c == close) {
      m_cur.advance();
      break;
    }
    if (c == ']' || c == '}' || c == ')') {
      error(m_cur.position(), fmt::format("unexpected '{}'", c));
      m_cur.advance();
      continue;
    }
    if (c == '#') {
      skip_comment();
      continue;
    }
    Command cmd = parse_command(close, current);
    if (cmd.name.empty()) {
      current = cmd.menu;
    }
    out.push_back(std::move(cmd));
  }
  return out;
}

std::string Parser::read_bare() {
  std::string word;
  while (!is_word_end(m_cur.peek())) {
    if (m_cur.raw_peek() == '\\') {
      error(m_cur.position(), "a backslash outside a string must end the line");
      m_cur.advance();
      continue;
    }
    word.push_back(m_cur.advance());
  }
  return word;
}

Command Parser::parse_command(char close, const Menu& menu) {
  enum class State { start, path, args };
  Command cmd;
  cmd.pos = m_cur.position();
  Menu path = menu;
  State state = State::start;
  while (!m_abort) {
    char c = m_cur.peek();
    if (is_space(c)) {
      m_cur.advance();
      continue;
    }
    if (c == '\0' || c == '\n' || c == ';' || (c == close && close != '\0') || c == ']' ||
        c == '}') {
      break;
    }
    if (c == ')') {
      error(m_cur.position(), "unexpected ')'");
      m_cur.advance();
      continue;
    }
    if (c == '#') {
      skip_comment();
      break;
    }
    if (state != State::args) {
      if (c == '{') {
        cmd.name = "{}";
        state = State::args;
        continue;
      }
      if (is_word_end(c)) {
        if (state == State::path && cmd.name.empty() && !path.empty()) {
          cmd.name = path.back();
          path.pop_back();
        } else if (state == State::start && c == '$') {
          cmd.name = "$call";
        }
        state = State::args;
        continue;
      }
      Position pos = m_cur.position();
      std::string word = read_bare();
      bool is_arg = key_end(word) != std::string::npos || (word.size() > 1 && word[0] == '!');
      if (state == State::start && !word.empty() && word[0] == ':') {
        cmd.name = word;
        state = State::args;
      } else if (!is_arg && !word.empty() && word[0] == '/') {
        path.clear();
        apply_path(path, word, &cmd.name);
        state = cmd.name.empty() ? State::path : State::args;
      } else if (state == State::start && is_bare_global(word)) {
        cmd.name = ":" + word;
        state = State::args;
      } else if (is_arg) {
        if (cmd.name.empty() && state == State::path && !path.empty()) {
          cmd.name = path.back();
          path.pop_back();
        }
        state = State::args;
        Arg arg;
        std::size_t end = key_end(word);
        if (end == std::string::npos) {
          arg.op = Arg::Op::unset;
          arg.name = word.substr(1);
        } else {
          arg.op = word[end] == '=' ? Arg::Op::equals : Arg::Op::matches;
          arg.name = word.substr(0, end);
          std::string rest = word.substr(end + 1);
          if (rest.empty()) {
            arg.value = parse_glued_value(path, pos);
          } else {
            arg.value.text = std::move(rest);
            arg.value.pos = pos;
          }
        }
        cmd.args.push_back(std::move(arg));
      } else if (is_menu_verb(word)) {
        cmd.name = word;
        state = State::args;
      } else {
        apply_path(path, word, &cmd.name);
        state = cmd.name.empty() ? State::path : State::args;
      }
      continue;
    }
    cmd.args.push_back(parse_arg(path));
  }
  cmd.menu = std::move(path);
  return cmd;
}

Value Parser::parse_glued_value(const Menu& menu, Position pos) {
  switch (m_cur.peek()) {
  case '"':
    return parse_string();
  case '[':
    return parse_substitution(menu);
  case '(':
    return parse_group(menu);
  case '{':
    return parse_block(menu);
  case '$':
    return parse_variable(menu);
  default: {
    Value empty;
    empty.pos = pos;
    return empty;
  }
  }
}

Arg Parser::parse_arg(const Menu& menu) {
  Position pos = m_cur.position();
  char c = m_cur.peek();
  Arg arg;
  if (c == '"' || c == '[' || c == '(' || c == '{' || c == '$') {
    arg.value = parse_glued_value(menu, pos);
    return arg;
  }
  std::string word = read_bare();
  std::size_t end = key_end(word);
  if (end != std::string::npos) {
    arg.op = word[end] == '=' ? Arg::Op::equals : Arg::Op::matches;
    arg.name = word.substr(0, end);
    std::string rest = word.substr(end + 1);
    if (rest.empty()) {
      arg.value = parse_glued_value(menu, pos);
    } else {
      arg.value.text = std::move(rest);
      arg.value.pos = pos;
    }
    return arg;
  }
  if (word.size() > 1 && word[0] == '!') {
    arg.op = Arg::Op::unset;
    arg.name = word.substr(1);
    return arg;
  }
  arg.value.text = std::move(word);
  arg.value.pos = pos;
  return arg;
}

ReadResult read_script_impl(std::string_view text) {
  return Parser(text).run();
}

} // namespace vpnaas::routeros::detail

namespace vpnaas::routeros {

ReadResult read_script(std::string_view text) {
  return detail::read_script_impl(text);
}

std::string to_string(const Position& pos) {
  return fmt::format("{}:{}", pos.line, pos.column);
}

std::string menu_path(const std::vector<std::string>& menu) {
  if (menu.empty()) {
    return "/";
  }
  std::string out;
  for (const auto& part : menu) {
    out += out.empty() ? "/" : " ";
    out += part;
  }
  return out;
}

} // namespace vpnaas::routeros
