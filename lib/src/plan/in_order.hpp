#pragma once

#include <vpnaas/core/error.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace vpnaas::plan::detail {

// Runs work(0) ... work(count - 1) on up to `threads` threads and hands each
// result to emit() on the calling thread, in index order, so the output is the
// same whatever the number of threads. At most a few results per thread wait
// for their turn, which keeps memory independent of `count`. The first error,
// in index order, from work() or emit() stops the walk and is returned.
// work() runs concurrently with itself and must only read shared state.
template <class T, class Work, class Emit>
Status in_order(std::size_t count, unsigned threads, Work work, Emit emit) {
  threads = static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1U), count));
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      Result<T> r = work(i);
      if (!r) {
        return r.error();
      }
      if (Status s = emit(std::move(*r)); !s) {
        return s;
      }
    }
    return Ok{};
  }

  const std::size_t window = 4 * std::size_t{threads};
  std::mutex mutex;
  std::condition_variable ready; // a result arrived
  std::condition_variable room;  // a result was emitted, or the walk stops
  std::vector<std::optional<Result<T>>> slots(window);
  std::size_t next = 0;    // first index no worker has claimed
  std::size_t emitted = 0; // results handed to emit()
  bool stop = false;

  auto worker = [&] {
    std::unique_lock lock(mutex);
    for (;;) {
      room.wait(lock, [&] { return stop || next >= count || next < emitted + window; });
      if (stop || next >= count) {
        return;
      }
      const std::size_t i = next++;
      lock.unlock();
      Result<T> r = work(i);
      lock.lock();
      slots[i % window].emplace(std::move(r));
      ready.notify_one();
    }
  };

  Status status = Ok{};
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back(worker);
    }
    for (std::size_t i = 0; i < count; ++i) {
      std::unique_lock lock(mutex);
      auto& slot = slots[i % window];
      ready.wait(lock, [&] { return slot.has_value(); });
      Result<T> r = std::move(*slot);
      slot.reset();
      ++emitted;
      room.notify_all();
      lock.unlock();
      status = r ? emit(std::move(*r)) : Status(r.error());
      if (!status) {
        break;
      }
    }
    std::lock_guard lock(mutex);
    stop = true;
    room.notify_all();
  } // joins the pool
  return status;
}

} // namespace vpnaas::plan::detail
