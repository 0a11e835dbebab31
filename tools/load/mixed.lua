-- wrk script: mixed load on the API — households (varying income), society-wide reforms,
-- packages, scenario saves and parameter reads, in a fixed rotation of 20 requests.
--   wrk -t2 -c8 -d300s --latency -s tools/load/mixed.lua http://127.0.0.1:8080
-- A 429 (the server's bounded queue for society-wide work) counts as an error here: run with few
-- enough connections that the queue never fills, or read the non-2xx count with that in mind.
local n = 0
local function household(i)
  return wrk.format("POST", "/api/v1/calc/salaries", {["Content-Type"] = "application/json"},
    string.format('{"year": "2026/27", "married": true, "children": %d, "taxpayer": {"employment_income": %d, "mpf_mandatory": 18000}}',
      i % 3, 300000 + (i * 7919) % 2000000))
end

request = function()
  n = n + 1
  local k = n % 20
  if k == 0 then
    return wrk.format("POST", "/api/v1/society", {["Content-Type"] = "application/json"},
      string.format('{"year": "2025/26", "reform": {"changes": {"salaries_tax.allowances.basic": {"2025/26": %d}}}}', 132000 + (n % 50) * 1000))
  elseif k == 5 then
    return wrk.format("POST", "/api/v1/packages/run", {["Content-Type"] = "application/json"},
      '{"package": {"proposals": [{"id": "2.1(4)", "set": {"take_up": 0.5}}, {"id": "3.2(1)"}]}}')
  elseif k == 10 then
    return wrk.format("POST", "/api/v1/scenarios", {["Content-Type"] = "application/json"},
      string.format('{"name": "soak %d", "kind": "reform", "body": {"changes": {"salaries_tax.allowances.basic": {"2025/26": %d}}}}', n, 130000 + n % 100000))
  elseif k == 15 then
    return wrk.format("GET", "/api/v1/params/salaries_tax.allowances.basic")
  else
    return household(n)
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("requests %d, errors %d (non-2xx %d), rps %.0f, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, errors, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
