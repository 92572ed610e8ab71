-- wrk script: send the pre-built requests of bench/pool.py, each exactly once.
-- Thread n reads $BENCH_POOL/slice-<n>.bin ("<length>\n<raw request>" records) in order and
-- counts the response statuses; done() prints one line "BENCH {json}" for bench/digipost_send.py.

local threads = {}

function setup(thread)
  thread:set("slice", #threads)
  table.insert(threads, thread)
end

function init(args)
  pool = assert(io.open(os.getenv("BENCH_POOL") .. "/slice-" .. slice .. ".bin", "rb"))
  sent = 0
  exhausted = 0
  statuses = {}
end

function request()
  local header = pool:read("*l")
  if header == nil then
    -- Out of requests: stop this thread; the caller flags the run as too short for its pool.
    exhausted = exhausted + 1
    wrk.thread:stop()
    return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
  end
  sent = sent + 1
  return pool:read(tonumber(header))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  local sent_total, exhausted_total = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    sent_total = sent_total + thread:get("sent")
    exhausted_total = exhausted_total + thread:get("exhausted")
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "sent": %d, "exhausted": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, sent_total, exhausted_total,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
