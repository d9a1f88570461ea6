// Load generator for `vpnaas acs serve` (scripts/bench-acs.sh): N simulated
// CPEs on Boost.Asio coroutines, each running whole periodic CWMP sessions the
// way a RouterOS tr069-client does: a new TCP connection per session, Inform
// with 20 parameters, Digest (the first Inform is challenged; later sessions
// reuse the nonce with the next nc until the server calls it stale), empty
// POST, the answer to one GetParameterValues, 204. With --peer it sends the
// same three POSTs to a server that answers 204 to everything (nginx), without
// authentication or cookies, for the baseline.
//
//   cpe_load prepare --data DIR --devices N [--first F]
//     registers N accepted devices in the server's store (outside the
//     measurement)
//   cpe_load run --url http://127.0.0.1:7547/ --inform FILE --devices N
//     --duration S [--data DIR] [--period S] [--first F] [--threads T] [--peer]
//     with --data, one GetParameterValues is queued in the server's store for
//     each session just before it starts, by a thread of its own (as the
//     management API would queue it); the queuing is not part of the timings
//     --period 0 (default): each CPE starts its next session at once (closed
//     loop, the most the server carries); --period P: each CPE informs every P
//     seconds, starts spread over the first period (open loop, a fleet's rate).
//
// It prints one logfmt line: sessions, requests, rates, p50/p99 latencies,
// 503s (busy), errors, sessions that found no task.

#include <vpnaas/acs/auth.hpp>
#include <vpnaas/acs/sqlite_store.hpp>
#include <vpnaas/cwmp/codec.hpp>
#include <vpnaas/secrets/cpe_credentials.hpp>
#include <vpnaas/secrets/master_key.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::use_awaitable;
using SteadyClock = std::chrono::steady_clock;
using namespace vpnaas;

struct Args {
  std::string command;
  std::string url;
  std::string data;
  std::string inform_template;
  std::size_t devices = 100;
  std::size_t first = 0;
  double duration = 10;
  double period = 0;
  unsigned threads = 1;
  bool peer = false;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "cpe_load: %s\nusage: cpe_load prepare --data DIR --devices N [--first F]\n"
               "       cpe_load run --url URL --inform FILE --devices N --duration S [--data DIR]"
               " [--period S] [--first F] [--threads T] [--peer]\n",
               why.c_str());
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 2) {
    usage("no command");
  }
  a.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--peer") {
      a.peer = true;
      continue;
    }
    if (i + 1 >= argc) {
      usage(flag + " needs a value");
    }
    const std::string value = argv[++i];
    if (flag == "--url") {
      a.url = value;
    } else if (flag == "--data") {
      a.data = value;
    } else if (flag == "--inform") {
      a.inform_template = value;
    } else if (flag == "--devices") {
      a.devices = std::stoul(value);
    } else if (flag == "--first") {
      a.first = std::stoul(value);
    } else if (flag == "--duration") {
      a.duration = std::stod(value);
    } else if (flag == "--period") {
      a.period = std::stod(value);
    } else if (flag == "--threads") {
      a.threads = static_cast<unsigned>(std::max(1ul, std::stoul(value)));
    } else {
      usage("unknown option " + flag);
    }
  }
  return a;
}

std::string serial_of(std::size_t index) {
  return fmt::format("LOAD{:08d}", index);
}

int prepare(const Args& a) {
  if (a.data.empty()) {
    usage("prepare needs --data");
  }
  auto store = acs::open_sqlite_store(std::filesystem::path(a.data) / "acs.sqlite");
  if (!store) {
    std::fprintf(stderr, "cpe_load: %s\n", store.error().message.c_str());
    return 1;
  }
  const auto now = acs::Clock::now();
  for (std::size_t i = a.first; i < a.first + a.devices; ++i) {
    acs::InformRecord record;
    record.serial = serial_of(i);
    record.manufacturer = "MikroTik";
    record.data_model_root = "Device.";
    record.at = now;
    if (auto r = (*store)->record_inform(record, ""); !r) {
      std::fprintf(stderr, "cpe_load: %s\n", r.error().message.c_str());
      return 1;
    }
    if (auto r =
            (*store)->set_binding(record.serial, acs::Binding::accepted, fmt::format("load-{}", i));
        !r) {
      std::fprintf(stderr, "cpe_load: %s\n", r.error().message.c_str());
      return 1;
    }
  }
  return 0;
}

// Queues the task of each session in the server's store, on its own thread
// and store handle, so that a CPE's io thread never waits on SQLite.
class Queuer {
public:
  explicit Queuer(const std::string& data) {
    // Checkpoints beside this thread, as the server's own: SQLite's
    // auto-checkpoint would run in this thread's commits once the server
    // leaves it to its own thread, and the fsyncs it waits for made every
    // waiting CPE wait (`sched_switch` profile): the tool set the pace.
    acs::SqliteStoreOptions options;
    options.background_checkpoint = true;
    auto store = acs::open_sqlite_store(std::filesystem::path(data) / "acs.sqlite", options);
    if (!store) {
      throw std::runtime_error(store.error().message);
    }
    m_store = std::move(*store);
    m_thread = std::thread([this] { loop(); });
  }
  ~Queuer() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
  }

  // `done` runs on this thread once the task is committed.
  void enqueue(std::string serial, std::function<void()> done) {
    {
      std::lock_guard lock(m_mutex);
      m_pending.emplace_back(std::move(serial), std::move(done));
    }
    m_wake.notify_one();
  }

  std::uint64_t failures() const { return m_failures; }

private:
  void loop() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      m_wake.wait(lock, [this] { return m_stop || !m_pending.empty(); });
      if (m_stop) {
        return;
      }
      // All the CPEs waiting are queued in one transaction: one commit per
      // task made this thread, not the server, set the pace of a run.
      auto batch = std::move(m_pending);
      m_pending.clear();
      lock.unlock();
      std::vector<acs::NewTask> tasks;
      for (const auto& [serial, done] : batch) {
        acs::NewTask task;
        task.serial = serial;
        task.kind = acs::TaskKind::get_parameter_values;
        task.payload_json = R"({"names": ["Device.DeviceInfo."]})";
        tasks.push_back(std::move(task));
      }
      if (!m_store->enqueue_all(tasks, acs::Clock::now())) {
        m_failures += batch.size();
      }
      for (auto& entry : batch) {
        entry.second();
      }
      lock.lock();
    }
  }

  std::unique_ptr<acs::Store> m_store;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::pair<std::string, std::function<void()>>> m_pending;
  bool m_stop = false;
  std::atomic<std::uint64_t> m_failures{0};
  std::thread m_thread;
};

// ---------------------------------------------------------------------------

struct Stats {
  std::uint64_t sessions = 0;
  std::uint64_t requests = 0;
  std::uint64_t busy = 0;       // 503
  std::uint64_t errors = 0;     // anything else that ended a session early
  std::uint64_t no_task = 0;    // 204 right after the empty POST
  std::uint64_t challenges = 0; // 401 answered with a fresh nonce
  std::vector<std::uint32_t> session_us;
  std::vector<std::uint32_t> request_us;
};

struct Target {
  std::string host;
  std::string port;
  std::string path;
  asio::ip::tcp::endpoint endpoint;
};

Target parse_url(const std::string& url) {
  Target t;
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) {
    usage("--url must be http://HOST:PORT/PATH");
  }
  std::string rest = url.substr(prefix.size());
  const auto slash = rest.find('/');
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  rest = rest.substr(0, slash);
  const auto colon = rest.rfind(':');
  t.host = rest.substr(0, colon);
  t.port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  t.endpoint = {asio::ip::make_address(t.host), static_cast<unsigned short>(std::stoi(t.port))};
  return t;
}

struct Shared {
  Args args;
  Target target;
  std::string inform_head; // the Inform up to its serial number
  std::string inform_tail;
  std::optional<secrets::MasterKey> key;
  Queuer* queuer = nullptr;
  SteadyClock::time_point start;
  SteadyClock::time_point end;
};

// The RouterOS Inform of the shared data, padded to 20 parameters, split
// around its serial number so that each CPE only splices its own in.
void load_inform(Shared& shared) {
  std::ifstream in(shared.args.inform_template, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto envelope = cwmp::read_envelope(text.str());
  if (!envelope || !std::holds_alternative<cwmp::Inform>(envelope->body)) {
    usage("--inform: not a readable Inform: " + shared.args.inform_template);
  }
  auto& inform = std::get<cwmp::Inform>(envelope->body);
  inform.events = {{"2 PERIODIC", ""}};
  for (int i = 1; inform.parameters.size() < 20; ++i) {
    inform.parameters.push_back({fmt::format("Device.IP.Interface.{}.IPv4Address.1.IPAddress", i),
                                 fmt::format("10.{}.0.1", i), "string"});
  }
  inform.device_id.serial_number = "@SERIAL@";
  const std::string xml = cwmp::write_envelope(*envelope);
  const auto at = xml.find("@SERIAL@");
  shared.inform_head = xml.substr(0, at);
  shared.inform_tail = xml.substr(at + 8);
}

std::string gpv_response(const std::string& id) {
  return "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
         "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap-env:Header><cwmp:ID "
         "soap-env:mustUnderstand=\"1\">" +
         id +
         "</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:GetParameterValuesResponse>"
         "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[3]\">"
         "<ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name>"
         "<Value xsi:type=\"xsd:string\">6.42rc49</Value></ParameterValueStruct>"
         "<ParameterValueStruct><Name>Device.DeviceInfo.UpTime</Name>"
         "<Value xsi:type=\"xsd:unsignedInt\">86400</Value></ParameterValueStruct>"
         "<ParameterValueStruct><Name>Device.DeviceInfo.X_MIKROTIK_SystemIdentity</Name>"
         "<Value xsi:type=\"xsd:string\">MikroTik</Value></ParameterValueStruct>"
         "</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>";
}

std::string spv_response(const std::string& id) {
  return "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap-env:Header><cwmp:ID "
         "soap-env:mustUnderstand=\"1\">" +
         id +
         "</cwmp:ID></soap-env:Header><soap-env:Body><cwmp:SetParameterValuesResponse>"
         "<Status>0</Status></cwmp:SetParameterValuesResponse></soap-env:Body></soap-env:Envelope>";
}

// The cwmp:ID of an ACS request, cheaply: the client must not eat the CPU the
// server is measured on.
std::string cwmp_id(const std::string& body) {
  const auto tag = body.find(":ID");
  if (tag == std::string::npos) {
    return "1";
  }
  const auto open = body.find('>', tag);
  const auto close = body.find('<', open);
  if (open == std::string::npos || close == std::string::npos) {
    return "1";
  }
  return body.substr(open + 1, close - open - 1);
}

struct Digest {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::uint32_t nc = 0;
};

class Cpe {
public:
  Cpe(const Shared& shared, Stats& stats, std::size_t index)
      : m_shared(shared), m_stats(stats), m_serial(serial_of(index)),
        m_cnonce(fmt::format("{:08x}", static_cast<unsigned>(index * 2654435761u))) {
    if (shared.key) {
      auto credentials = secrets::derive_cpe_credentials(*shared.key, m_serial);
      if (credentials) {
        m_password = credentials->acs.password;
      }
    }
    m_inform = shared.inform_head + m_serial + shared.inform_tail;
  }

  awaitable<void> run(SteadyClock::duration offset) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    auto next = m_shared.start + offset;
    while (next < m_shared.end) {
      timer.expires_at(next);
      co_await timer.async_wait(use_awaitable);
      if (m_shared.queuer != nullptr) {
        // Woken by a cancel posted to this coroutine's own thread once the
        // task is committed.
        asio::steady_timer queued(executor, SteadyClock::time_point::max());
        m_shared.queuer->enqueue(m_serial, [&queued, executor] {
          asio::post(executor, [&queued] { queued.cancel(); });
        });
        boost::system::error_code ignored;
        co_await queued.async_wait(asio::redirect_error(use_awaitable, ignored));
      }
      const auto began = SteadyClock::now();
      std::chrono::seconds wait{0};
      try {
        wait = co_await session(executor);
      } catch (const std::exception&) {
        ++m_stats.errors;
        wait = std::chrono::seconds(1);
      }
      const auto now = SteadyClock::now();
      if (m_shared.args.period > 0) {
        next = began + std::chrono::duration_cast<SteadyClock::duration>(
                           std::chrono::duration<double>(m_shared.args.period));
      } else {
        next = now;
      }
      next = std::max(next, now + wait);
    }
  }

private:
  using Response = bhttp::response<bhttp::string_body>;

  // One whole session; returns how long to wait before the next (503).
  awaitable<std::chrono::seconds> session(asio::any_io_executor executor) {
    const auto began = SteadyClock::now();
    m_cookie.clear();
    m_stream.emplace(executor);
    m_buffer.clear();
    Response r = co_await exchange(m_inform, true);
    if (r.result_int() == 401 && !m_shared.args.peer) {
      ++m_stats.challenges;
      if (!take_challenge(r)) {
        ++m_stats.errors;
        co_return std::chrono::seconds(1);
      }
      r = co_await exchange(m_inform, true);
    }
    if (r.result_int() == 503) {
      ++m_stats.busy;
      const auto retry = r.find(bhttp::field::retry_after);
      co_return std::chrono::seconds(
          retry == r.end() ? 5 : std::max(1, std::atoi(std::string(retry->value()).c_str())));
    }
    if (!ok(r, m_shared.args.peer ? 204 : 200)) {
      co_return std::chrono::seconds(1);
    }
    if (const auto cookie = r.find(bhttp::field::set_cookie); cookie != r.end()) {
      const std::string value(cookie->value());
      m_cookie = value.substr(0, value.find(';'));
    }
    r = co_await exchange("", false);
    if (r.result_int() == 204 && !m_shared.args.peer) {
      ++m_stats.no_task;
    } else {
      if (!ok(r, m_shared.args.peer ? 204 : 200)) {
        co_return std::chrono::seconds(1);
      }
      // Every request until the 204: the GetParameterValues queued for the
      // session and, in an accepted device's first session, the
      // SetParameterValues of its connection-request login (answered as a
      // CPE would, with Status 0).
      for (int requests = 0; r.result_int() == 200 && requests < 8; ++requests) {
        const std::string id = m_shared.args.peer ? "vpnaas-1" : cwmp_id(r.body());
        const bool set =
            !m_shared.args.peer && r.body().find("SetParameterValues") != std::string::npos;
        // A named body: g++ 12 destroys a ?: temporary twice across co_await.
        const std::string answer = set ? spv_response(id) : gpv_response(id);
        r = co_await exchange(answer, false);
        if (m_shared.args.peer) {
          break;
        }
      }
      if (!ok(r, 204)) {
        co_return std::chrono::seconds(1);
      }
    }
    beast::error_code ignored;
    m_stream->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    m_stream.reset();
    const auto now = SteadyClock::now();
    if (now <= m_shared.end) {
      ++m_stats.sessions;
      m_stats.session_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - began).count()));
    }
    co_return std::chrono::seconds(0);
  }

  bool ok(const Response& r, unsigned expected) {
    if (r.result_int() != expected) {
      ++m_stats.errors;
      if (m_stats.errors <= 3) {
        std::fprintf(stderr, "cpe_load: %s: HTTP %u where %u was expected: %.200s\n",
                     m_serial.c_str(), r.result_int(), expected, r.body().c_str());
      }
      return false;
    }
    return true;
  }

  bool take_challenge(const Response& r) {
    const auto header = r.find(bhttp::field::www_authenticate);
    if (header == r.end()) {
      return false;
    }
    auto parsed = acs::auth::parse_authorization(std::string(header->value()));
    if (!parsed || parsed->scheme != acs::auth::Authorization::Scheme::digest) {
      return false;
    }
    m_digest =
        Digest{parsed->params["realm"], parsed->params["nonce"], parsed->params["opaque"], 0};
    return true;
  }

  std::string authorization() {
    const std::string nc = fmt::format("{:08x}", ++m_digest->nc);
    const std::string& uri = m_shared.target.path;
    const std::string response = acs::auth::digest_response(
        m_serial, m_digest->realm, m_password, "POST", uri, m_digest->nonce, nc, m_cnonce);
    return fmt::format("Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", "
                       "algorithm=MD5, qop=auth, nc={}, cnonce=\"{}\", response=\"{}\", "
                       "opaque=\"{}\"",
                       m_serial, m_digest->realm, m_digest->nonce, uri, nc, m_cnonce, response,
                       m_digest->opaque);
  }

  awaitable<Response> exchange(const std::string& body, bool inform) {
    const auto began = SteadyClock::now();
    if (!m_stream->socket().is_open()) {
      m_stream->expires_after(std::chrono::seconds(15));
      co_await m_stream->async_connect(m_shared.target.endpoint, use_awaitable);
      m_buffer.clear();
    }
    bhttp::request<bhttp::string_body> request{bhttp::verb::post, m_shared.target.path, 11};
    request.set(bhttp::field::host, m_shared.target.host + ":" + m_shared.target.port);
    request.set(bhttp::field::user_agent, "MikroTik (cpe_load)");
    if (!body.empty()) {
      request.set(bhttp::field::content_type, "text/xml; charset=\"utf-8\"");
      request.set("SOAPAction", "");
    }
    if (!m_cookie.empty()) {
      request.set(bhttp::field::cookie, m_cookie);
    }
    if (inform && m_digest && !m_shared.args.peer) {
      request.set(bhttp::field::authorization, authorization());
    }
    request.body() = body;
    request.prepare_payload();
    m_stream->expires_after(std::chrono::seconds(15));
    co_await bhttp::async_write(*m_stream, request, use_awaitable);
    Response response;
    co_await bhttp::async_read(*m_stream, m_buffer, response, use_awaitable);
    if (!response.keep_alive()) {
      beast::error_code ignored;
      m_stream->socket().close(ignored);
    }
    ++m_stats.requests;
    if (SteadyClock::now() <= m_shared.end) {
      m_stats.request_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - began)
              .count()));
    }
    co_return response;
  }

  const Shared& m_shared;
  Stats& m_stats;
  std::string m_serial;
  std::string m_cnonce;
  std::string m_password;
  std::string m_inform;
  std::string m_cookie;
  std::optional<Digest> m_digest;
  std::optional<beast::tcp_stream> m_stream;
  beast::flat_buffer m_buffer;
};

double percentile_ms(std::vector<std::uint32_t>& us, double p) {
  if (us.empty()) {
    return 0;
  }
  const auto at = static_cast<std::size_t>(p * static_cast<double>(us.size() - 1));
  std::nth_element(us.begin(), us.begin() + static_cast<std::ptrdiff_t>(at), us.end());
  return us[at] / 1000.0;
}

int run(const Args& a) {
  if (a.url.empty() || (a.inform_template.empty())) {
    usage("run needs --url and --inform");
  }
  Shared shared;
  shared.args = a;
  shared.target = parse_url(a.url);
  load_inform(shared);
  if (!a.peer) {
    auto key = secrets::load_master_key(secrets::KeySource{});
    if (!key) {
      usage("the CPEs' passwords need the server's master key in $VPNAAS_MASTER_KEY");
    }
    shared.key = std::move(*key);
  }
  std::optional<Queuer> queuer;
  if (!a.data.empty() && !a.peer) {
    queuer.emplace(a.data);
    shared.queuer = &*queuer;
  }
  const auto duration =
      std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(a.duration));
  shared.start = SteadyClock::now() + std::chrono::milliseconds(200);
  shared.end = shared.start + duration;

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<Stats> stats(a.threads);
  std::vector<std::vector<std::unique_ptr<Cpe>>> cpes(a.threads);
  for (unsigned t = 0; t < a.threads; ++t) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  for (std::size_t i = 0; i < a.devices; ++i) {
    const unsigned t = static_cast<unsigned>(i % a.threads);
    cpes[t].push_back(std::make_unique<Cpe>(shared, stats[t], a.first + i));
    // Open loop: starts spread evenly over the first period; closed loop: a
    // ramp over the first tenth of a second, not one burst of connects.
    const double spread = a.period > 0 ? a.period : std::min(0.1, a.duration / 10);
    const auto offset =
        std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(
            spread * static_cast<double>(i) / static_cast<double>(a.devices)));
    asio::co_spawn(*contexts[t], cpes[t].back()->run(offset), asio::detached);
  }
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < a.threads; ++t) {
    threads.emplace_back(
        [&, t] { contexts[t]->run_until(shared.end + std::chrono::milliseconds(100)); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  Stats all;
  for (Stats& s : stats) {
    all.sessions += s.sessions;
    all.requests += s.requests;
    all.busy += s.busy;
    all.errors += s.errors;
    all.no_task += s.no_task;
    all.challenges += s.challenges;
    all.session_us.insert(all.session_us.end(), s.session_us.begin(), s.session_us.end());
    all.request_us.insert(all.request_us.end(), s.request_us.begin(), s.request_us.end());
  }
  const double seconds = a.duration;
  std::printf(
      "devices=%zu duration_s=%.1f sessions=%llu requests=%zu sessions_per_s=%.1f "
      "requests_per_s=%.1f session_p50_ms=%.2f session_p99_ms=%.2f request_p50_ms=%.2f "
      "request_p99_ms=%.2f busy_503=%llu errors=%llu no_task=%llu challenges=%llu\n",
      a.devices, seconds, static_cast<unsigned long long>(all.sessions), all.request_us.size(),
      static_cast<double>(all.sessions) / seconds,
      static_cast<double>(all.request_us.size()) / seconds, percentile_ms(all.session_us, 0.5),
      percentile_ms(all.session_us, 0.99), percentile_ms(all.request_us, 0.5),
      percentile_ms(all.request_us, 0.99), static_cast<unsigned long long>(all.busy),
      static_cast<unsigned long long>(all.errors), static_cast<unsigned long long>(all.no_task),
      static_cast<unsigned long long>(all.challenges));
  if (queuer && queuer->failures() != 0) {
    std::fprintf(stderr, "cpe_load: %llu task(s) could not be queued\n",
                 static_cast<unsigned long long>(queuer->failures()));
  }
  // Thousands of coroutines are still suspended mid-session, holding sockets,
  // timers and the queuer's callbacks: tearing them down in order buys the
  // report nothing, so leave without it.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
}

} // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    if (args.command == "prepare") {
      return prepare(args);
    }
    if (args.command == "run") {
      return run(args);
    }
    usage("unknown command " + args.command);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpe_load: %s\n", e.what());
    return 1;
  }
}
