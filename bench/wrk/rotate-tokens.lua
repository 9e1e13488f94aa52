-- wrk script for the gateway benchmark (bench/Warehouse.Bench/Wrk.cs):
--   wrk -s rotate-tokens.lua <base url> -- <tokens file> <path>
-- Each request carries the next of the bench's tokens (one per line, a different user each), so the run exercises
-- what many clients do to a proxy that validates tokens and limits per user: no single cached token, no single
-- rate-limit partition. Ends with one machine-readable line the bench parses.
local tokens = {}
local path
local next_token = 0

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = "Bearer " .. line
  end
  path = args[2]
end

function request()
  next_token = next_token % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = tokens[next_token] })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
