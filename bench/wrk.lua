-- wrk script of the HTTP benchmarks (bench/_common.py, wrk_run): each thread cycles through its
-- share of the requests in a file, one per line, tab-separated: method, path, body (may be
-- empty), then "Name: value" headers. Any status but the expected one counts as an error (a
-- redirect to the login page is not a success). At the end it prints one JSON line.
--   wrk -t2 -c20 -d10s -s bench/wrk.lua http://127.0.0.1:PORT -- FILE EXPECTED_STATUS

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

function init(args)
  local path, expected = args[1], tonumber(args[2] or "200")
  local lines = {}
  for line in io.lines(path) do
    table.insert(lines, line)
  end
  -- a thread's share: every n-th line (a file shorter than the threads: every line)
  local share = #lines >= counter_total()
  local reqs, n = {}, 0
  want = expected
  bad = 0
  for _, line in ipairs(lines) do
    if not share or n % counter_total() == id then
      local f = split(line)
      local headers = {}
      for i = 4, #f do
        local name, value = f[i]:match("^([^:]+):%s*(.*)$")
        headers[name] = value
      end
      local body = nil
      if f[3] ~= "" then body = f[3] end
      table.insert(reqs, wrk.format(f[1], f[2], headers, body))
    end
    n = n + 1
  end
  requests_ = reqs
  index = 0
end

function counter_total()
  return tonumber(os.getenv("WRK_THREADS") or "2")
end

function request()
  index = index % #requests_ + 1
  return requests_[index]
end

function response(status, headers, body)
  if status ~= want then
    bad = bad + 1
    last_bad = status
  end
end

function done(summary, latency, requests)
  local unexpected, status = 0, 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + thread:get("bad")
    status = thread:get("last_bad") or status
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "unexpected_status": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "unexpected_example": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, unexpected,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), status))
end
