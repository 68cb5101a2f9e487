-- wrk script for the registry bench: one kind of key/value request, over a fixed set of keys.
-- wrk -s kv.lua URL -- <kind> <keys> <value bytes> [token]
--   cast-get   GET  /v1/kv/bench/kNNNN?raw           (Consul's KV API)
--   cast-put   PUT  /v1/kv/bench/kNNNN, raw value     (acknowledged after the SQLite commit)
--   etcd-get   POST /v3/kv/range {"key": b64}         (etcd's HTTP/JSON gateway)
--   etcd-put   POST /v3/kv/put {"key": b64, "value": b64}
-- Requests are built once in init; each connection walks the keys from its own starting point.
-- done() prints one RESULT line the bench parses: counts and latency percentiles in microseconds.

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function b64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = math.min(3, #s - i + 1) + 1
    for k = 1, 4 do
      local sextet = math.floor(n / 2 ^ (6 * (4 - k))) % 64
      out[#out + 1] = k <= chars and alphabet:sub(sextet + 1, sextet + 1) or "="
    end
  end
  return table.concat(out)
end

local requests = {}
local next_request = 1
local threads = 0

-- Each wrk thread starts at a different key.
function setup(thread)
  threads = threads + 1
  thread:set("first", threads * 7919)
end

function init(args)
  local kind, keys, size, token = args[1], tonumber(args[2]), tonumber(args[3]), args[4]
  -- The value: printable, the same bytes on both sides.
  local value = string.rep("0123456789abcdef", math.ceil(size / 16)):sub(1, size)
  local cast_headers = { ["X-Consul-Token"] = token }
  local json = { ["Content-Type"] = "application/json" }
  for i = 1, keys do
    local key = string.format("bench/k%05d", i)
    if kind == "cast-get" then
      requests[i] = wrk.format("GET", "/v1/kv/" .. key .. "?raw", cast_headers)
    elseif kind == "cast-put" then
      requests[i] = wrk.format("PUT", "/v1/kv/" .. key, cast_headers, value)
    elseif kind == "etcd-get" then
      requests[i] = wrk.format("POST", "/v3/kv/range", json, '{"key":"' .. b64(key) .. '"}')
    elseif kind == "etcd-put" then
      requests[i] = wrk.format(
        "POST", "/v3/kv/put", json, '{"key":"' .. b64(key) .. '","value":"' .. b64(value) .. '"}')
    else
      error("unknown kind " .. tostring(kind))
    end
  end
  next_request = (first or 0) % #requests
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
