#include <vpnaas/acs/connection_request_login.hpp>
#include <vpnaas/acs/session/cwmp_service.hpp>
#include <vpnaas/cwmp/codec.hpp>
#include <vpnaas/cwmp/device_facts.hpp>

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <utility>
#include <vector>

namespace vpnaas::acs::session {
namespace {

using nlohmann::json;

constexpr std::string_view kCookieName = "vpnaas-session";

// A session commits its writes with its next claim or at its end anyway:
// the claim of an idempotent task waits for that commit too.
SessionWrites fresh_writes() {
  SessionWrites writes;
  writes.defer_idempotent_sent = true;
  return writes;
}

struct Session {
  std::string id;
  std::string serial;
  std::string device; // inventory name, "" when not bound
  std::string remote;
  Binding binding = Binding::pending;
  cwmp::Version version = cwmp::Version::v1_0;
  bool routeros = false;
  std::vector<std::string> events;
  std::optional<Task> current; // the RPC sent, waiting for the CPE's answer
  // Bookkeeping written with the session's next claim (or at its end): the
  // Inform's device row, the answer to `current`, the parameters it read.
  // A crash before that commit loses the device's last-Inform facts, which
  // its next Inform writes again, and an answer, whose task is still sent
  // and is settled as after any crash (requeued, or left to the CPE's
  // report); what was sent stays exactly as recorded.
  SessionWrites pending = fresh_writes();
  // The oldest queued task as the Inform's read saw it: the first claim
  // sends it without a store call when it may go before its claim is
  // committed (sendable_before_commit). A task queued since then comes at
  // the next claim, which reads the store.
  std::optional<Task> inform_head;
  // An open task was sent before a restart, its outcome unknown: the
  // first empty POST checks whether the CPE ever received it.
  bool unreported = false;
  bool reported = false; // the CPE's own requests are done (its first empty POST)
  int rpcs = 0;
  int faults = 0;
  TimePoint started;
};

// A session as the service holds it. The service's lock guards only the
// tables that find sessions; a session's own work (its store calls above
// all) runs under the session's lock, so that the io threads serve
// different CPEs at once instead of taking turns.
struct SessionSlot {
  SessionSlot(Session session, TimePoint at)
      : s(std::move(session)), id(s.id), started(s.started), last(at) {}
  std::mutex mutex;   // one request of the session at a time
  Session s;          // guarded by `mutex`
  bool ended = false; // guarded by `mutex`: logged and flushed once
  const std::string id;
  const TimePoint started;
  // Guarded by the service's lock: the sweep reads them.
  TimePoint last;
  std::vector<std::uint64_t> connections;
};
using SlotPtr = std::shared_ptr<SessionSlot>;
// Sessions taken out of the tables under the service's lock, to be
// finished (flushed, logged) after it is released.
using Ending = std::vector<std::pair<SlotPtr, const char*>>;

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    // An ACS without randomness must not hand out guessable session ids.
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  std::string hex;
  for (unsigned char c : raw) {
    hex += fmt::format("{:02x}", c);
  }
  return hex;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The session cookie among whatever the CPE echoes back: several Cookie
// headers, attributes (`Path=/`) sent back as if they were cookies, quotes.
std::optional<std::string> session_cookie(const http::Request& request) {
  for (const http::Header& header : request.headers) {
    if (header.name.size() != 6 || strncasecmp(header.name.c_str(), "cookie", 6) != 0) {
      continue;
    }
    std::string_view rest = header.value;
    while (!rest.empty()) {
      const auto semicolon = rest.find_first_of(";,");
      std::string_view part = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
      const auto eq = part.find('=');
      if (eq == std::string_view::npos || trim(part.substr(0, eq)) != kCookieName) {
        continue;
      }
      std::string_view value = trim(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (!value.empty()) {
        return std::string(value);
      }
    }
  }
  return std::nullopt;
}

http::Response plain(int status, std::string text) {
  http::Response response;
  response.status = status;
  response.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  response.body = std::move(text);
  if (!response.body.empty() && response.body.back() != '\n') {
    response.body += '\n';
  }
  return response;
}

http::Response soap(const cwmp::Envelope& envelope) {
  http::Response response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "text/xml; charset=\"utf-8\""});
  response.body = cwmp::write_envelope(envelope);
  return response;
}

http::Response no_content() {
  http::Response response;
  response.status = 204;
  return response;
}

std::string join_events(const std::vector<std::string>& events) {
  std::string out;
  for (const std::string& e : events) {
    if (!out.empty()) {
      out += ',';
    }
    out += e;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "/files/<token>/<name>" -> token.
std::string path_token(std::string_view target, std::string_view prefix) {
  target.remove_prefix(prefix.size());
  const auto slash = target.find('/');
  return std::string(target.substr(0, slash));
}

std::string json_string(const json& j, const char* key, std::string fallback = {}) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) {
    return j[key].get<std::string>();
  }
  return fallback;
}

std::vector<std::string> json_names(const json& j) {
  std::vector<std::string> names;
  if (j.is_object() && j.contains("names") && j["names"].is_array()) {
    for (const json& n : j["names"]) {
      if (n.is_string()) {
        names.push_back(n.get<std::string>());
      }
    }
  }
  return names;
}

} // namespace

struct CwmpService::State {
  explicit State(CwmpServiceOptions o) : options(std::move(o)), digest(options.digest) {
    if (options.metrics != nullptr) {
      Metrics& m = *options.metrics;
      m.describe("vpnaas_acs_sessions_total", Metrics::Type::counter,
                 "CWMP sessions ended, by outcome (done, no-tasks, idle-timeout, ...)");
      m.describe("vpnaas_acs_informs_total", Metrics::Type::counter,
                 "Event codes in the Informs of authenticated CPEs");
      m.describe("vpnaas_acs_session_duration_seconds", Metrics::Type::histogram,
                 "From Inform to the end of the session");
      m.describe("vpnaas_acs_rpcs_sent_total", Metrics::Type::counter,
                 "RPCs the ACS sent to CPEs, by method");
    }
  }

  CwmpServiceOptions options;
  auth::DigestAuthenticator digest;
  // Guards the tables below and options.base_url. Never held across a
  // store call, and never while waiting for a session's lock (a session's
  // lock may be held while taking this one).
  mutable std::mutex mutex;
  Bindings bindings;
  // A failed login is queued again if it failed before the later of these.
  TimePoint login_retry_from;
  std::map<std::string, TimePoint> login_retry_for;   // by serial: `device accept`
  std::map<std::string, SlotPtr> sessions;            // by session id
  std::map<std::uint64_t, std::string> by_connection; // connection id -> session id
  // Informs past the max-sessions check whose session is not listed yet.
  std::size_t opening = 0;
  std::minstd_rand jitter{std::random_device{}()};
  TimePoint last_sweep{};
  // The log sink is called one line at a time, whatever thread logs.
  std::mutex log_mutex;

  TimePoint now() const { return options.clock ? options.clock() : Clock::now(); }

  void log(const std::string& line) {
    if (options.log) {
      std::lock_guard lock(log_mutex);
      options.log(line);
    }
  }

  void changed(TaskId id) const {
    if (options.task_changed) {
      options.task_changed(id);
    }
  }

  void count(std::string_view name, const Labels& labels) const {
    if (options.metrics != nullptr) {
      options.metrics->add(name, labels);
    }
  }

  // Takes a session out of the tables, so that no request finds it any
  // more. The service's lock is held.
  void unlist(const SessionSlot& slot) {
    sessions.erase(slot.id);
    for (std::uint64_t c : slot.connections) {
      auto it = by_connection.find(c);
      if (it != by_connection.end() && it->second == slot.id) {
        by_connection.erase(it);
      }
    }
  }

  // Flushes and logs an unlisted session, once. Its lock is held, the
  // service's is not.
  void finish(SessionSlot& slot, std::string_view outcome, TimePoint at) {
    if (slot.ended) {
      return;
    }
    slot.ended = true;
    Session& s = slot.s;
    flush(s, at);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at - s.started).count();
    log(fmt::format("session serial={} device={} binding={} remote={} events=\"{}\" rpcs={} "
                    "faults={} outcome={} duration_ms={}{}",
                    s.serial, s.device.empty() ? "-" : s.device, binding_name(s.binding), s.remote,
                    join_events(s.events), s.rpcs, s.faults, outcome, ms,
                    options.insecure_no_cpe_auth ? " auth=NONE(--insecure-no-cpe-auth)" : ""));
    count("vpnaas_acs_sessions_total", {{"outcome", std::string(outcome)}});
    if (options.metrics != nullptr) {
      options.metrics->observe("vpnaas_acs_session_duration_seconds", {},
                               std::chrono::duration<double>(at - s.started).count());
    }
  }

  // Ends the session a request is working on (its lock held).
  void end_session(SessionSlot& slot, std::string_view outcome, TimePoint at) {
    {
      std::lock_guard lock(mutex);
      unlist(slot);
    }
    finish(slot, outcome, at);
  }

  // Ends a session no lock of which is held (one an Inform replaces).
  void end_session_from_outside(const SlotPtr& slot, std::string_view outcome, TimePoint at) {
    {
      std::lock_guard lock(mutex);
      unlist(*slot);
    }
    std::lock_guard lock(slot->mutex);
    finish(*slot, outcome, at);
  }

  // Finishes sessions unlisted under the service's lock, after it.
  void finish_all(Ending& ending, TimePoint at) {
    for (auto& [slot, outcome] : ending) {
      std::lock_guard lock(slot->mutex);
      finish(*slot, outcome, at);
    }
    ending.clear();
  }

  // Writes what the session still holds, in a transaction of its own.
  void flush(Session& s, TimePoint at) {
    if (!s.pending.inform && !s.pending.sent && !s.pending.completed &&
        s.pending.parameters_patch.empty()) {
      return;
    }
    if (auto written = options.store->record_session(s.serial, s.pending, at); !written) {
      log("store: " + to_string(written.error()));
    } else {
      settled_pending(s);
    }
    s.pending = fresh_writes();
  }

  // After a commit of s.pending: logs a refused completion, notifies.
  void settled_pending(const Session& s) {
    if (s.pending.refused) {
      log("store: " + to_string(*s.pending.refused));
    } else if (s.pending.completed) {
      changed(*s.pending.completed);
    }
  }

  // Timeouts are seconds long: looking at every open session once a
  // second is enough, and at every request costs O(sessions) each. The
  // service's lock is held.
  void sweep_due(TimePoint at, Ending& ending) {
    if (at >= last_sweep && at - last_sweep < std::chrono::seconds(1)) {
      return;
    }
    last_sweep = at;
    sweep(at, false, ending);
  }

  void sweep(TimePoint at, bool all, Ending& ending) {
    const std::size_t before = ending.size();
    for (const auto& [id, slot] : sessions) {
      if (all) {
        ending.emplace_back(slot, "server-stopped");
      } else if (at - slot->started > options.session_cap) {
        ending.emplace_back(slot, "session-cap");
      } else if (at - slot->last > options.idle_timeout) {
        ending.emplace_back(slot, "idle-timeout");
      }
    }
    for (std::size_t i = before; i < ending.size(); ++i) {
      unlist(*ending[i].first);
    }
  }

  // The session a request belongs to (by cookie, else by connection), its
  // idle clock restarted; null when none, or when it has just timed out
  // (then in `ending`). The service's lock is held.
  SlotPtr find_session(const http::Request& request, TimePoint at, Ending& ending) {
    SlotPtr found;
    if (auto cookie = session_cookie(request)) {
      auto it = sessions.find(*cookie);
      if (it != sessions.end()) {
        found = it->second;
        by_connection[request.connection_id] = found->id;
        auto& seen = found->connections;
        if (std::find(seen.begin(), seen.end(), request.connection_id) == seen.end()) {
          seen.push_back(request.connection_id);
        }
      }
    }
    if (!found) {
      auto c = by_connection.find(request.connection_id);
      if (c != by_connection.end()) {
        auto it = sessions.find(c->second);
        if (it != sessions.end()) {
          found = it->second;
        }
      }
    }
    // The sweep runs once a second (sweep_due): a session past its
    // timeout ends here as it would have there.
    if (found) {
      const char* timed_out = at - found->started > options.session_cap ? "session-cap"
                              : at - found->last > options.idle_timeout ? "idle-timeout"
                                                                        : nullptr;
      if (timed_out != nullptr) {
        unlist(*found);
        ending.emplace_back(std::move(found), timed_out);
        return nullptr;
      }
      found->last = at;
    }
    return found;
  }

  // find_session with the service's lock taken and released.
  SlotPtr lookup(const http::Request& request, TimePoint at) {
    Ending ending;
    SlotPtr found;
    {
      std::lock_guard lock(mutex);
      found = find_session(request, at, ending);
    }
    finish_all(ending, at);
    return found;
  }

  http::Response refuse(int status, const http::Request& request, const std::string& why) {
    log(fmt::format("refused status={} remote={} target={} reason=\"{}\"", status,
                    request.remote_address, request.target, why));
    return plain(status, why);
  }

  // The service's lock is held.
  http::Response busy(const http::Request& request, const std::string& serial) {
    const auto base = std::max<std::int64_t>(1, options.busy_retry_after.count());
    std::uniform_int_distribution<std::int64_t> spread(base - base / 2, base + base / 2);
    const std::int64_t retry_after = spread(jitter);
    log(fmt::format("refused status=503 remote={} serial={} retry_after={} reason=\"{} sessions "
                    "open, the most --max-sessions allows\"",
                    request.remote_address, serial, retry_after, sessions.size()));
    http::Response response = plain(503, "too many sessions open: retry later");
    response.headers.push_back({"Retry-After", std::to_string(retry_after)});
    return response;
  }

  // -- authentication -------------------------------------------------------

  // nullopt: authenticated; else the 401 (or 400) to send.
  std::optional<http::Response> authenticate(const http::Request& request,
                                             const std::string& serial, TimePoint at) {
    if (options.insecure_no_cpe_auth) {
      return std::nullopt;
    }
    auto challenge = [&](bool stale, const char* why) {
      http::Response response = plain(401, "authentication required");
      response.headers.push_back(
          {"WWW-Authenticate", request.tls ? auth::basic_challenge(options.digest.realm)
                                           : digest.challenge(at, stale)});
      if (why != nullptr) {
        log(fmt::format("refused status=401 remote={} serial={} reason=\"{}\"",
                        request.remote_address, serial, why));
      }
      return response;
    };
    const std::string* header = request.header("Authorization");
    if (header == nullptr) {
      return challenge(false, nullptr);
    }
    auto credentials = auth::parse_authorization(*header);
    if (!credentials) {
      return challenge(false, "unreadable Authorization header");
    }
    auto password =
        options.password_for
            ? options.password_for(serial)
            : Result<std::string>(make_error(ErrorCode::internal, "no password source"));
    if (!password) {
      return challenge(false, "no password for this serial number");
    }
    if (request.tls) {
      if (credentials->scheme != auth::Authorization::Scheme::basic) {
        return challenge(false, "Digest offered over TLS, where the ACS asks for Basic");
      }
      if (credentials->username != serial) {
        return challenge(false, "the username is not the Inform's serial number");
      }
      if (!auth::verify_basic(*credentials, serial, *password)) {
        return challenge(false, "wrong password");
      }
      return std::nullopt;
    }
    if (credentials->scheme != auth::Authorization::Scheme::digest) {
      // A password in clear text over plain HTTP: refused even when right.
      return challenge(false, "Basic offered over plain HTTP, where the ACS asks for Digest");
    }
    if (credentials->params["username"] != serial) {
      return challenge(false, "the username is not the Inform's serial number");
    }
    const auto verdict =
        digest.verify(credentials->params, request.method, request.target, *password, at);
    switch (verdict) {
    case auth::DigestVerdict::ok:
      return std::nullopt;
    case auth::DigestVerdict::stale_nonce:
      return challenge(true, "stale nonce");
    default:
      return challenge(false, auth::digest_verdict_name(verdict));
    }
  }

  // -- the session flow -----------------------------------------------------

  http::Response on_inform(const http::Request& request, const cwmp::Envelope& envelope,
                           const cwmp::Inform& inform, TimePoint at) {
    const std::string& serial = inform.device_id.serial_number;
    if (serial.empty()) {
      return refuse(400, request, "an Inform without a SerialNumber");
    }
    // Before authentication: turning a CPE away must cost less than serving it.
    // An Inform that replaces its own session opens no new one.
    Ending ending;
    SlotPtr old;
    std::optional<http::Response> turned_away;
    {
      std::lock_guard lock(mutex);
      old = find_session(request, at, ending);
      if (options.max_sessions != 0 && sessions.size() + opening >= options.max_sessions && !old) {
        turned_away = busy(request, serial);
      } else {
        ++opening; // counted against the bound until listed
      }
    }
    finish_all(ending, at);
    if (turned_away) {
      return std::move(*turned_away);
    }
    // Until the session is listed (in the same critical section) or the
    // Inform fails.
    struct Opening {
      State& state;
      bool counted = true;
      ~Opening() {
        if (counted) {
          std::lock_guard lock(state.mutex);
          --state.opening;
        }
      }
    } admission{*this};
    if (auto refusal = authenticate(request, serial, at)) {
      return *refusal;
    }
    // A new Inform always starts a new session, whatever cookie came with it.
    if (old) {
      end_session_from_outside(old, "replaced-by-new-inform", at);
    }
    const cwmp::DeviceFacts facts = cwmp::device_facts(inform);
    InformRecord record;
    record.serial = serial;
    record.oui = inform.device_id.oui;
    record.product_class = inform.device_id.product_class;
    record.manufacturer = inform.device_id.manufacturer;
    for (const cwmp::EventStruct& e : inform.events) {
      record.events.push_back({e.event_code, e.command_key});
    }
    record.remote_address = request.remote_address;
    record.software_version = facts.software_version;
    record.data_model_root = cwmp::data_model_root(facts.data_model);
    record.connection_request_url = facts.connection_request_url;
    record.at = at;
    std::optional<std::string> bound; // the inventory's binding of the serial
    TimePoint login_retry{};
    {
      std::lock_guard lock(mutex);
      if (auto b = bindings.find(serial); b != bindings.end()) {
        bound = b->second;
      }
      login_retry = login_retry_from;
      if (auto asked = login_retry_for.find(serial); asked != login_retry_for.end()) {
        login_retry = std::max(login_retry, asked->second);
      }
    }
    auto start = options.store->session_start(serial, kConnectionRequestLoginKey);
    if (!start) {
      return refuse(500, request, "the store failed: " + to_string(start.error()));
    }

    Session s;
    s.id = random_hex(16);
    s.serial = serial;
    // As record_inform binds: the inventory wins, else what the store holds.
    if (bound) {
      s.device = *bound;
      s.binding = Binding::accepted;
    } else if (start->device) {
      s.device = start->device->device_name;
      s.binding = start->device->binding;
    }
    s.remote = request.remote_address;
    s.version = envelope.version;
    s.routeros = facts.routeros;
    for (const cwmp::EventStruct& e : inform.events) {
      s.events.push_back(e.event_code);
      count("vpnaas_acs_informs_total", {{"event", e.event_code}});
    }
    s.started = at;
    if (s.binding == Binding::accepted) {
      settle_open(start->open_tasks, CpeReport{record.events, std::nullopt}, at);
      queue_connection_request_login(serial, start->latest_with_key, facts.data_model, login_retry,
                                     at);
      for (const Task& task : start->open_tasks) {
        // Only a restart makes a task outcome-unknown before a session's
        // first empty POST (await_report comes after it).
        s.unreported = s.unreported || (task.state == TaskState::sent && task.outcome_unknown);
        if (!s.inform_head && task.state == TaskState::queued) {
          s.inform_head = task;
        }
      }
    }
    s.pending.inform = std::move(record);
    s.pending.inventory_device = bound.value_or("");
    http::Response response = soap(cwmp::answer(envelope, cwmp::InformResponse{1}));
    response.headers.push_back({"Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly{}", kCookieName,
                                                          s.id, request.tls ? "; Secure" : "")});
    auto slot = std::make_shared<SessionSlot>(std::move(s), at);
    slot->connections.push_back(request.connection_id);
    std::lock_guard lock(mutex);
    by_connection[request.connection_id] = slot->id;
    sessions.emplace(slot->id, std::move(slot));
    --opening;
    admission.counted = false;
    return response;
  }

  void settle_open(const std::string& serial, const CpeReport& report, TimePoint at) {
    auto open = options.store->open_tasks(serial);
    if (!open) {
      log("store: " + to_string(open.error()));
      return;
    }
    settle_open(*open, report, at);
  }

  void settle_open(const std::vector<Task>& open, const CpeReport& report, TimePoint at) {
    for (const Task& task : open) {
      if (task.state != TaskState::sent) {
        continue;
      }
      const Settlement settlement = settle_open_task(task.kind, task.command_key, report);
      if (settlement.verdict == Settlement::Verdict::keep_waiting) {
        continue;
      }
      if (auto done = options.store->settle(task.id, settlement, at); !done) {
        log("store: " + to_string(done.error()));
      }
      changed(task.id);
    }
  }

  // Connection requests need a login on the CPE that only the ACS knows:
  // set it once, in the first session after the device is accepted. A CPE
  // that faults it gets the retry policy's back-off, and once it failed for
  // good, nothing more until the inventory is reloaded or an engineer
  // accepts the device again: sending it in every session would only fault
  // in every session.
  // `retry_from`: the later of login_retry_from and the serial's login_retry_for.
  void queue_connection_request_login(const std::string& serial, const std::optional<Task>& latest,
                                      cwmp::DataModel model, TimePoint retry_from, TimePoint at) {
    if (!options.key) {
      return;
    }
    if (latest) {
      if (!connection_request_login_failed(*latest)) {
        return; // done, or still queued or sent
      }
      if (latest->updated_at >= retry_from) {
        return;
      }
    }
    auto task = connection_request_login_task(serial, model);
    if (!task) {
      log(fmt::format("session serial={} no connection-request login queued: {}", serial,
                      task.error().message));
      return;
    }
    auto queued = options.store->enqueue(*task, at);
    if (!queued) {
      log("store: " + to_string(queued.error()));
      return;
    }
    changed(*queued);
  }

  // Once the CPE has said all it had to say in its first session after a
  // restart (Inform, TransferCompletes), a non-idempotent task it shows it
  // never received is queued again rather than left open for good.
  void requeue_unreceived(const std::string& serial, TimePoint at) {
    auto open = options.store->open_tasks(serial);
    if (!open) {
      log("store: " + to_string(open.error()));
      return;
    }
    for (const Task& task : *open) {
      if (task.state != TaskState::sent || !task.outcome_unknown) {
        continue;
      }
      bool fetched = false;
      if (task.kind == TaskKind::download) {
        auto got = options.store->download_fetched(task.id);
        if (!got) {
          log("store: " + to_string(got.error()));
          continue;
        }
        fetched = *got;
      }
      if (decide_unreported(task.kind, fetched) != UnreportedAction::requeue) {
        continue;
      }
      if (auto requeued = options.store->requeue_unreceived(
              task.id,
              "the CPE's first session after a restart shows it never received the request: "
              "queued again",
              at);
          !requeued) {
        log("store: " + to_string(requeued.error()));
        continue;
      }
      log(fmt::format("task id={} serial={} kind={} never reached the CPE before a restart: "
                      "queued again",
                      task.id, serial, task_kind_name(task.kind)));
    }
  }

  std::string base_url() const {
    std::lock_guard lock(mutex);
    return options.base_url;
  }

  // The RPC of a task; an Error when its payload cannot make one.
  Result<cwmp::Body> rpc_for(const Task& task, const Session& s, TimePoint at) {
    json payload = json::parse(task.payload_json, nullptr, false);
    if (payload.is_discarded()) {
      payload = json::object();
    }
    switch (task.kind) {
    case TaskKind::get_rpc_methods:
      return cwmp::Body{cwmp::GetRPCMethods{}};
    case TaskKind::get_parameter_names: {
      cwmp::GetParameterNames rpc;
      rpc.parameter_path = json_string(payload, "path");
      rpc.next_level = payload.is_object() && payload.contains("next_level") &&
                       payload["next_level"].is_boolean() && payload["next_level"].get<bool>();
      return cwmp::Body{rpc};
    }
    case TaskKind::get_parameter_values:
      return cwmp::Body{cwmp::GetParameterValues{json_names(payload)}};
    case TaskKind::get_parameter_attributes:
      return cwmp::Body{cwmp::GetParameterAttributes{json_names(payload)}};
    case TaskKind::set_parameter_values: {
      if (task.payload_json.find("\"derived\"") != std::string::npos) {
        if (!options.key) {
          return make_error(ErrorCode::missing_secret,
                            "a SetParameterValues task with a derived value, and no master key");
        }
        auto resolved = resolve_set_parameter_values(task, *options.key);
        if (!resolved) {
          return resolved.error();
        }
        return cwmp::Body{std::move(*resolved)};
      }
      cwmp::SetParameterValues rpc;
      rpc.parameter_key = task.command_key;
      const json& params =
          payload.is_object() && payload.contains("parameters") ? payload["parameters"] : json();
      if (params.is_object()) {
        for (const auto& [name, value] : params.items()) {
          rpc.parameters.push_back(
              {name, value.is_string() ? value.get<std::string>() : value.dump(), "string"});
        }
      } else if (params.is_array()) {
        for (const json& p : params) {
          rpc.parameters.push_back(
              {json_string(p, "name"), json_string(p, "value"), json_string(p, "type", "string")});
        }
      }
      if (rpc.parameters.empty()) {
        return make_error(ErrorCode::invalid_input, "a SetParameterValues task without parameters");
      }
      return cwmp::Body{rpc};
    }
    case TaskKind::set_parameter_attributes: {
      // {"attributes": [{"name", "notification"?, "access_list"?}]}: a key
      // left out is not changed on the CPE (NotificationChange /
      // AccessListChange false).
      cwmp::SetParameterAttributes rpc;
      const json& list =
          payload.is_object() && payload.contains("attributes") ? payload["attributes"] : json();
      if (list.is_array()) {
        for (const json& a : list) {
          cwmp::SetParameterAttribute attribute;
          attribute.name = json_string(a, "name");
          if (a.is_object() && a.contains("notification") &&
              a["notification"].is_number_integer()) {
            attribute.notification_change = true;
            attribute.notification = a["notification"].get<int>();
          }
          if (a.is_object() && a.contains("access_list") && a["access_list"].is_array()) {
            attribute.access_list_change = true;
            for (const json& entry : a["access_list"]) {
              if (entry.is_string()) {
                attribute.access_list.push_back(entry.get<std::string>());
              }
            }
          }
          rpc.parameters.push_back(std::move(attribute));
        }
      }
      if (rpc.parameters.empty()) {
        return make_error(ErrorCode::invalid_input,
                          "a SetParameterAttributes task without attributes");
      }
      return cwmp::Body{rpc};
    }
    case TaskKind::add_object:
      return cwmp::Body{cwmp::AddObject{json_string(payload, "object"), task.command_key}};
    case TaskKind::delete_object:
      return cwmp::Body{cwmp::DeleteObject{json_string(payload, "object"), task.command_key}};
    case TaskKind::reboot:
      return cwmp::Body{cwmp::Reboot{task.command_key}};
    case TaskKind::factory_reset:
      return cwmp::Body{cwmp::FactoryReset{}};
    case TaskKind::download: {
      const std::string name = json_string(payload, "file_name");
      if (name.empty() || name.find('/') != std::string::npos || !payload.contains("content") ||
          !payload["content"].is_string()) {
        return make_error(ErrorCode::invalid_input,
                          "a Download task without a file_name or content");
      }
      // RouterOS runs a `.alter` configuration file as a script on the live
      // configuration (reference/cwmp.md); another CPE would take it for a
      // whole configuration.
      if (name.ends_with(".alter") && !s.routeros) {
        return make_error(ErrorCode::invalid_input,
                          "a .alter configuration file is RouterOS-only and this CPE is not "
                          "RouterOS");
      }
      auto token = options.store->issue_download_token(task.id, at + options.file_token_lifetime);
      if (!token) {
        return token.error();
      }
      cwmp::Download rpc;
      rpc.command_key = task.command_key;
      rpc.file_type = json_string(payload, "file_type", "3 Vendor Configuration File");
      rpc.url = fmt::format("{}/files/{}/{}", base_url(), *token, name);
      rpc.file_size = static_cast<std::uint32_t>(payload["content"].get<std::string>().size());
      rpc.target_file_name = name;
      return cwmp::Body{rpc};
    }
    case TaskKind::upload: {
      auto token = options.store->issue_download_token(task.id, at + options.file_token_lifetime);
      if (!token) {
        return token.error();
      }
      cwmp::Upload rpc;
      rpc.command_key = task.command_key;
      rpc.file_type = json_string(payload, "file_type", "1 Vendor Configuration File");
      rpc.url = fmt::format("{}/uploads/{}/{}", base_url(), *token, s.serial);
      return cwmp::Body{rpc};
    }
    }
    return make_error(ErrorCode::internal, "unknown task kind");
  }

  // After the CPE's requests are done: the next queued task, or 204.
  // The head of the device's queue, claimed: with the session's pending
  // writes in the store's transaction, or, at the first claim, from what
  // the Inform read, its move to sent left for the next commit.
  Result<std::optional<Task>> claim(Session& s, TimePoint at) {
    std::optional<Task> head = std::exchange(s.inform_head, std::nullopt);
    if (head && s.pending.can_defer_claim() && sendable_before_commit(*head, at)) {
      s.pending.defer_sent(*head, at);
      return head;
    }
    return options.store->claim_next(s.serial, at, s.pending);
  }

  // The session's lock is held.
  http::Response next_rpc(SessionSlot& slot, TimePoint at) {
    Session& s = slot.s;
    if (s.binding != Binding::accepted) {
      // A pending serial gets nothing but its InformResponse.
      end_session(slot, "no-tasks", at);
      return no_content();
    }
    if (!s.reported) {
      s.reported = true;
      if (s.unreported) {
        requeue_unreceived(s.serial, at);
        s.inform_head.reset(); // the queue changed since the Inform's read
      }
    }
    for (;;) {
      auto claimed = claim(s, at);
      if (!claimed) {
        log("store: " + to_string(claimed.error()));
        end_session(slot, "store-error", at);
        return no_content();
      }
      if (s.pending.committed) {
        settled_pending(s);
        s.pending = fresh_writes();
      }
      if (!*claimed) {
        end_session(slot, "done", at);
        return no_content();
      }
      Task task = std::move(**claimed);
      changed(task.id);
      auto body = rpc_for(task, s, at);
      if (!body) {
        flush(s, at); // a deferred claim is written before its fault
        // 8002: the ACS's own internal-error code; never worth a retry.
        (void)options.store->record_fault(task.id, 8002, body.error().message, options.retry, at);
        changed(task.id);
        log(fmt::format("task id={} serial={} kind={} not sent: {}", task.id, s.serial,
                        task_kind_name(task.kind), body.error().message));
        continue;
      }
      cwmp::Envelope envelope;
      envelope.version = s.version;
      envelope.id = fmt::format("vpnaas-{}", task.id);
      envelope.body = std::move(*body);
      count("vpnaas_acs_rpcs_sent_total", {{"kind", task_kind_name(task.kind)}});
      s.current = std::move(task);
      ++s.rpcs;
      return soap(envelope);
    }
  }

  void record_answer(Session& s, const cwmp::Body& body, TimePoint at) {
    if (!s.current) {
      log(fmt::format("session serial={} answered no request ({}): ignored", s.serial,
                      cwmp::method_name(body)));
      return;
    }
    const Task task = std::move(*s.current);
    s.current.reset();
    auto fault_recorded = [&](int code, const std::string& text) {
      flush(s, at); // the task's deferred move to sent comes first
      if (auto r = options.store->record_fault(task.id, code, text, options.retry, at); !r) {
        log("store: " + to_string(r.error()));
      }
      changed(task.id);
    };
    if (const auto* fault = std::get_if<cwmp::Fault>(&body)) {
      std::string text = fault->fault_string;
      for (const auto& p : fault->set_parameter_values_faults) {
        text += fmt::format("; {}: {} {}", p.parameter_name, p.fault_code, p.fault_string);
      }
      ++s.faults;
      fault_recorded(static_cast<int>(fault->fault_code), text);
      return;
    }
    const std::string expected = std::string(task_kind_name(task.kind)) + "Response";
    if (expected != cwmp::method_name(body)) {
      ++s.faults;
      fault_recorded(8002, fmt::format("the CPE answered {} to {}", cwmp::method_name(body),
                                       task_kind_name(task.kind)));
      return;
    }
    json result = json::object();
    bool finished = true;
    std::visit(
        [&](const auto& m) {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, cwmp::GetParameterValuesResponse>) {
            json params = json::object();
            for (const auto& p : m.parameters) {
              params[p.name] = p.value;
            }
            s.pending.parameters_patch = params.dump();
            result["parameters"] = std::move(params);
          } else if constexpr (std::is_same_v<T, cwmp::GetParameterNamesResponse>) {
            json list = json::array();
            for (const auto& p : m.parameters) {
              list.push_back({{"name", p.name}, {"writable", p.writable}});
            }
            result["parameters"] = list;
          } else if constexpr (std::is_same_v<T, cwmp::GetParameterAttributesResponse>) {
            json list = json::array();
            for (const auto& p : m.parameters) {
              list.push_back({{"name", p.name}, {"notification", p.notification}});
            }
            result["parameters"] = list;
          } else if constexpr (std::is_same_v<T, cwmp::GetRPCMethodsResponse>) {
            result["methods"] = m.methods;
          } else if constexpr (std::is_same_v<T, cwmp::SetParameterValuesResponse> ||
                               std::is_same_v<T, cwmp::DeleteObjectResponse>) {
            result["status"] = m.status;
          } else if constexpr (std::is_same_v<T, cwmp::AddObjectResponse>) {
            result["status"] = m.status;
            result["instance"] = m.instance_number;
          } else if constexpr (std::is_same_v<T, cwmp::RebootResponse> ||
                               std::is_same_v<T, cwmp::FactoryResetResponse>) {
            // Done once the CPE says it rebooted or was reset (next Inform).
            finished = false;
          } else if constexpr (std::is_same_v<T, cwmp::DownloadResponse> ||
                               std::is_same_v<T, cwmp::UploadResponse>) {
            // Status 1: a TransferComplete with the CommandKey settles it later.
            finished = m.status == 0;
            result["status"] = m.status;
          }
        },
        body);
    if (finished) {
      // Committed with the next claim (next_rpc), which always follows.
      s.pending.completed = task.id;
      s.pending.result_json = result.dump();
    }
  }

  // The session's lock, once it is known to be still open; an empty lock
  // when there is no session or it ended meanwhile.
  static std::unique_lock<std::mutex> lock_live(const SlotPtr& slot) {
    if (!slot) {
      return {};
    }
    std::unique_lock lock(slot->mutex);
    if (slot->ended) {
      return {};
    }
    return lock;
  }

  http::Response on_cwmp(const http::Request& request, std::optional<Result<cwmp::Envelope>> parsed,
                         TimePoint at) {
    if (trim(request.body).empty()) {
      SlotPtr slot = lookup(request, at);
      std::unique_lock session_lock = lock_live(slot);
      if (!session_lock) {
        // curl, like other clients that know they will be asked for Digest,
        // probes with an empty POST first: challenge it as any request.
        if (!options.insecure_no_cpe_auth && request.header("Authorization") == nullptr) {
          return *authenticate(request, {}, at);
        }
        return refuse(400, request,
                      "an empty POST outside a session: a session starts with an "
                      "Inform");
      }
      Session& s = slot->s;
      if (s.current) {
        // The CPE gave up on the request it was sent; the task is settled
        // later (restart recovery, or the CPE's next report).
        log(fmt::format("session serial={} sent an empty POST instead of answering task id={}",
                        s.serial, s.current->id));
        s.current.reset();
      }
      return next_rpc(*slot, at);
    }
    if (!parsed) {
      parsed = cwmp::read_envelope(request.body);
    }
    Result<cwmp::Envelope>& envelope = *parsed;
    if (!envelope) {
      return refuse(400, request, "not a CWMP envelope: " + envelope.error().message);
    }
    if (const auto* inform = std::get_if<cwmp::Inform>(&envelope->body)) {
      return on_inform(request, *envelope, *inform, at);
    }
    SlotPtr slot = lookup(request, at);
    std::unique_lock session_lock = lock_live(slot);
    if (!session_lock) {
      return refuse(400, request,
                    fmt::format("{} outside a session: a session starts with an Inform",
                                cwmp::method_name(envelope->body)));
    }
    Session* s = &slot->s;
    const cwmp::Body& body = envelope->body;
    if (const auto* tc = std::get_if<cwmp::TransferComplete>(&body)) {
      if (s->binding == Binding::accepted) {
        settle_open(
            s->serial,
            CpeReport{{},
                      TransferOutcome{tc->command_key, static_cast<int>(tc->fault.fault_code),
                                      tc->fault.fault_string}},
            at);
      }
      s->events.push_back("TransferComplete:" + tc->command_key);
      return soap(cwmp::answer(*envelope, cwmp::TransferCompleteResponse{}));
    }
    if (std::holds_alternative<cwmp::AutonomousTransferComplete>(body)) {
      return soap(cwmp::answer(*envelope, cwmp::AutonomousTransferCompleteResponse{}));
    }
    if (std::holds_alternative<cwmp::GetRPCMethods>(body)) {
      return soap(cwmp::answer(
          *envelope, cwmp::GetRPCMethodsResponse{{"Inform", "GetRPCMethods", "TransferComplete",
                                                  "AutonomousTransferComplete"}}));
    }
    if (std::holds_alternative<cwmp::Fault>(body) ||
        std::string_view(cwmp::method_name(body)).ends_with("Response")) {
      record_answer(*s, body, at);
      return next_rpc(*slot, at);
    }
    return refuse(
        400, request,
        fmt::format("{} is not a request a CPE sends to an ACS", cwmp::method_name(body)));
  }

  http::Response on_file(const http::Request& request, TimePoint at) {
    const std::string token = path_token(request.target, "/files/");
    auto task_id = options.store->redeem_download_token(token, at);
    if (!task_id) {
      return refuse(404, request, "no such file (unknown, used or expired link)");
    }
    auto task = options.store->task(*task_id);
    if (!task || !*task || (*task)->kind != TaskKind::download) {
      return refuse(404, request, "no such file");
    }
    json payload = json::parse((*task)->payload_json, nullptr, false);
    if (!payload.is_object() || !payload.contains("content") || !payload["content"].is_string()) {
      return refuse(404, request, "no such file");
    }
    log(fmt::format("file task={} serial={} remote={} served", *task_id, (*task)->serial,
                    request.remote_address));
    http::Response response;
    response.headers.push_back({"Content-Type", "application/octet-stream"});
    response.body = payload["content"].get<std::string>();
    return response;
  }

  http::Response on_upload(const http::Request& request, TimePoint at) {
    const std::string token = path_token(request.target, "/uploads/");
    auto task_id = options.store->redeem_download_token(token, at);
    if (!task_id) {
      return refuse(404, request, "no such upload target (unknown, used or expired link)");
    }
    auto task = options.store->task(*task_id);
    if (!task || !*task || (*task)->kind != TaskKind::upload) {
      return refuse(404, request, "no such upload target");
    }
    json payload = json::parse((*task)->payload_json, nullptr, false);
    const std::string file_type = json_string(payload, "file_type", "1 Vendor Configuration File");
    auto stored =
        options.store->store_upload((*task)->serial, *task_id, file_type, request.body, at);
    if (!stored) {
      return refuse(stored.error().code == ErrorCode::invalid_input ? 413 : 500, request,
                    stored.error().message);
    }
    log(fmt::format("upload task={} serial={} remote={} bytes={} stored as file {}", *task_id,
                    (*task)->serial, request.remote_address, request.body.size(), *stored));
    return no_content();
  }
};

CwmpService::CwmpService(CwmpServiceOptions options, Bindings bindings)
    : m_state(std::make_unique<State>(std::move(options))) {
  m_state->bindings = std::move(bindings);
  m_state->login_retry_from = m_state->now();
}

CwmpService::~CwmpService() = default;

void CwmpService::handle(http::Request request, http::Responder respond) {
  http::Response response;
  // The envelope is read before any lock: parsing needs no session state.
  std::optional<Result<cwmp::Envelope>> envelope;
  if (request.method == "POST" && !starts_with(request.target, "/files/") &&
      !starts_with(request.target, "/uploads/") && !trim(request.body).empty()) {
    try {
      envelope = cwmp::read_envelope(request.body);
    } catch (const std::exception&) {
      envelope.reset(); // read again under the lock, where failures are answered
    }
  }
  {
    const TimePoint at = m_state->now();
    Ending ending;
    {
      std::lock_guard lock(m_state->mutex);
      m_state->sweep_due(at, ending);
    }
    m_state->finish_all(ending, at);
    const std::string_view target = request.target;
    if (starts_with(target, "/files/")) {
      response = request.method == "GET" || request.method == "HEAD"
                     ? m_state->on_file(request, at)
                     : m_state->refuse(405, request, "files are fetched with GET");
    } else if (starts_with(target, "/uploads/")) {
      // TR-069 (3.4.5) has CPEs upload with HTTP PUT; some send POST.
      response = request.method == "PUT" || request.method == "POST"
                     ? m_state->on_upload(request, at)
                     : m_state->refuse(405, request, "uploads are sent with PUT or POST");
    } else if (request.method != "POST") {
      response = m_state->refuse(405, request, "a CWMP ACS takes POST");
    } else {
      try {
        response = m_state->on_cwmp(request, std::move(envelope), at);
      } catch (const std::exception& e) {
        response = m_state->refuse(500, request, std::string("internal error: ") + e.what());
      }
    }
  }
  respond(std::move(response));
}

void CwmpService::connection_closed(std::uint64_t connection_id) {
  std::lock_guard lock(m_state->mutex);
  // The session lives on: a CPE may continue it on a new connection by cookie.
  m_state->by_connection.erase(connection_id);
}

void CwmpService::set_bindings(Bindings bindings) {
  std::lock_guard lock(m_state->mutex);
  m_state->bindings = std::move(bindings);
  m_state->login_retry_from = m_state->now();
  m_state->login_retry_for.clear();
}

void CwmpService::retry_connection_request_login(const std::string& serial) {
  std::lock_guard lock(m_state->mutex);
  m_state->login_retry_for[serial] = m_state->now();
}

std::string CwmpService::bound_device(const std::string& serial) const {
  std::lock_guard lock(m_state->mutex);
  auto found = m_state->bindings.find(serial);
  return found == m_state->bindings.end() ? std::string() : found->second;
}

void CwmpService::set_base_url(std::string base_url) {
  std::lock_guard lock(m_state->mutex);
  m_state->options.base_url = std::move(base_url);
}

void CwmpService::sweep(bool all) {
  const TimePoint at = m_state->now();
  Ending ending;
  {
    std::lock_guard lock(m_state->mutex);
    m_state->sweep(at, all, ending);
  }
  m_state->finish_all(ending, at);
}

std::size_t CwmpService::open_sessions() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->sessions.size();
}

} // namespace vpnaas::acs::session
