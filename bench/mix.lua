-- mix.lua: wrk script for `smsconform serve`, the buy/status/cancel mix.
--
-- Every third request of a wrk thread buys a number (getNumber), the next
-- asks the status of the newest number the thread holds (getStatus), the
-- next cancels the oldest one it holds (setStatus 8; on the reference
-- profile that is EARLY_CANCEL_DENIED, 001's answer inside the first two
-- minutes). Each thread uses its own account (BENCH_KEYS, one key per
-- thread, as bench/run.sh starts the simulator) and learns its ids from the
-- ACCESS_NUMBER answers, so any number of connections works. When the
-- simulator answers NO_NUMBERS (its cap of 1000 activations per account)
-- the thread resets the sandbox through the control protocol and goes on.
--
-- Environment: BENCH_KEYS (comma-separated, at least one per thread),
-- BENCH_SERVICE and BENCH_COUNTRY (default tg and 0).

local keys = {}
for k in string.gmatch(os.getenv("BENCH_KEYS") or "bench-k1", "[^,]+") do
  keys[#keys + 1] = k
end
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("key", keys[((nthreads - 1) % #keys) + 1])
end

local service = os.getenv("BENCH_SERVICE") or "tg"
local country = os.getenv("BENCH_COUNTRY") or "0"
local base
local n = 0
local ids = {} -- ids bought and not yet cancelled: ids[first..last]
local first, last = 1, 0
local reset_due = false

function init(args)
  base = "/stubs/handler_api.php?api_key=" .. (key or keys[1]) .. "&"
end

function request()
  if reset_due then
    reset_due = false
    return wrk.format("POST", "/control/reset",
                      {["Content-Type"] = "application/json"}, "{}")
  end
  n = n + 1
  local step = n % 3
  if step == 0 or first > last then
    return wrk.format("GET", base .. "action=getNumber&service=" .. service ..
                      "&country=" .. country)
  end
  if step == 1 then
    return wrk.format("GET", base .. "action=getStatus&id=" .. ids[last])
  end
  local id = ids[first]
  ids[first] = nil
  first = first + 1
  return wrk.format("GET", base .. "action=setStatus&status=8&id=" .. id)
end

function response(status, headers, body)
  local id = string.match(body, "^ACCESS_NUMBER:(%d+):")
  if id then
    last = last + 1
    ids[last] = id
  elseif string.match(body, "^NO_NUMBERS") or
         string.match(body, "^NO_BALANCE") then
    ids = {}
    first, last = 1, 0
    reset_due = true
  end
end
