-- wrk script: Ekopost ingest, three requests per envelope (create, content, close) in one campaign.
-- Thread n owns the envelopes of $BENCH_POOL/slice-<n>.bin (pre-built content bodies) and
-- slice-<n>.idx ("<offset> <size> <pdf length>" per envelope). wrk does not say which connection a
-- response belongs to, so each answer names its envelope: a create echoes the envelope's name
-- ("bench-<thread>-<n>"), a content its decoded length (unique within a thread). A connection takes
-- a ready next step (content, close) of any envelope first, else starts a new envelope; when the
-- pool is used up and nothing is in flight the thread writes $BENCH_POOL/done-<n> (the caller then
-- stops wrk with SIGINT) and idles on GET /healthz. With BENCH_LOOP=1 (the floor, which keeps
-- nothing) the pool is walked again until wrk's duration ends. done() prints one line "BENCH {json}".

local threads = {}

function setup(thread)
  thread:set("slice", #threads)
  table.insert(threads, thread)
end

function init(args)
  local dir = os.getenv("BENCH_POOL")
  campaign = os.getenv("BENCH_CAMPAIGN")
  auth = os.getenv("BENCH_AUTH")
  host = os.getenv("BENCH_HOST")
  base = "/ekopost/campaigns/" .. campaign .. "/envelopes"
  marker = dir .. "/done-" .. slice
  looping = os.getenv("BENCH_LOOP") == "1"
  pool = assert(io.open(dir .. "/slice-" .. slice .. ".bin", "rb"))
  offsets, sizes, by_length, ids = {}, {}, {}, {}
  for line in io.lines(dir .. "/slice-" .. slice .. ".idx") do
    local offset, size, length = line:match("(%d+) (%d+) (%d+)")
    table.insert(offsets, tonumber(offset))
    table.insert(sizes, tonumber(size))
    by_length[tonumber(length)] = #offsets
  end
  total = #offsets
  -- BENCH_START: where each thread's walk begins (1-based), to go on where an earlier run stopped.
  local starts = {}
  for first_envelope in (os.getenv("BENCH_START") or ""):gmatch("%d+") do
    table.insert(starts, tonumber(first_envelope))
  end
  next_envelope = starts[slice + 1] or 1
  queue, first, last = {}, 1, 0
  in_flight = 0
  created, contents, closed, idle, finished = 0, 0, 0, 0, 0
  failures = {}
  -- wrk calls request() once on thread 0 right after init() to inspect it, and never sends that one.
  inspected = slice ~= 0
end

local function post(path, body)
  return "POST " .. path .. " HTTP/1.1\r\nHost: " .. host .. "\r\nAuthorization: " .. auth ..
    "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end

local function push(step)
  last = last + 1
  queue[last] = step
end

function request()
  if not inspected then
    inspected = true
    return "GET /healthz HTTP/1.1\r\nHost: " .. host .. "\r\n\r\n"
  end
  if first <= last then
    local step = queue[first]
    queue[first] = nil
    first = first + 1
    local path = base .. "/" .. ids[step.n]
    if step.kind == "content" then
      pool:seek("set", offsets[step.n])
      return post(path .. "/content", pool:read(sizes[step.n]))
    end
    return post(path .. "/close", "{}")
  end
  if looping and next_envelope > total then
    next_envelope = 1  -- the floor keeps nothing: it may see the pool again
  end
  if next_envelope <= total then
    local n = next_envelope
    next_envelope = n + 1
    in_flight = in_flight + 1
    return post(base, '{"name": "bench-' .. slice .. '-' .. n .. '", "postage": "priority", "address": null}')
  end
  if in_flight == 0 and finished == 0 then
    finished = 1
    assert(io.open(marker, "w")):close()
  end
  idle = idle + 1
  return "GET /healthz HTTP/1.1\r\nHost: " .. host .. "\r\n\r\n"
end

function response(status, headers, body)
  if status ~= 200 then
    -- Only envelope steps fail; that envelope goes no further.
    failures[status] = (failures[status] or 0) + 1
    in_flight = in_flight - 1
    return
  end
  local state = body:match('"state"%s*:%s*"(%a+)"')
  if state == "opened" then
    local n = tonumber(body:match('"name"%s*:%s*"bench%-%d+%-(%d+)"'))
    ids[n] = body:match('"id"%s*:%s*"([^"]+)"')
    created = created + 1
    push({kind = "content", n = n})
  elseif state == "closed" then
    closed = closed + 1
    in_flight = in_flight - 1
  elseif body:find('"type"%s*:%s*"document"') then
    local n = by_length[tonumber(body:match('"length"%s*:%s*(%d+)'))]
    contents = contents + 1
    push({kind = "close", n = n})
  end
end

function done(summary, latency, requests)
  local counts = {}
  local sums = {created = 0, contents = 0, closed = 0, idle = 0, finished = 0, envelopes = 0}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("failures")) do
      counts[status] = (counts[status] or 0) + n
    end
    sums.created = sums.created + thread:get("created")
    sums.contents = sums.contents + thread:get("contents")
    sums.closed = sums.closed + thread:get("closed")
    sums.idle = sums.idle + thread:get("idle")
    sums.finished = sums.finished + thread:get("finished")
    sums.envelopes = sums.envelopes + thread:get("total")
  end
  local nexts = {}
  for _, thread in ipairs(threads) do
    table.insert(nexts, tostring(thread:get("next_envelope")))
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "envelopes": %d, "created": %d, "contents": %d, ' ..
    '"closed": %d, "idle": %d, "finished_threads": %d, "next": [%s], ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, "failures": {%s}}\n',
    summary.requests, summary.duration, sums.envelopes, sums.created, sums.contents, sums.closed, sums.idle,
    sums.finished, table.concat(nexts, ", "), e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
