-- wrk script: a stream of single-recipient Altinn initializes (POST /correspondence/api/v1/correspondence).
-- $BENCH_TOKEN is the sender's bearer token, $BENCH_RECIPIENTS the organisation numbers taken in turn,
-- $BENCH_RESOURCE the resource. Counts the response statuses; done() prints one line "BENCH {json}".

local threads = {}

function setup(thread)
  thread:set("slice", #threads)
  table.insert(threads, thread)
end

function init(args)
  recipients = {}
  for number in os.getenv("BENCH_RECIPIENTS"):gmatch("%d+") do
    table.insert(recipients, number)
  end
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
  resource = os.getenv("BENCH_RESOURCE")
  turn = slice
  statuses = {}
end

function request()
  turn = turn + 1
  local body = '{"correspondence": {"resourceId": "' .. resource .. '", "sendersReference": "bench-' .. turn ..
    '", "content": {"language": "nb", "messageTitle": "Vedtak", "messageSummary": "Kort sammendrag",' ..
    ' "messageBody": "Hei, se **vedtaket**."}}, "recipients": ["0192:' ..
    recipients[turn % #recipients + 1] .. '"], "existingAttachments": []}'
  return wrk.format("POST", "/correspondence/api/v1/correspondence", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
