-- wrk script: POST the README household to /api/v1/calc/salaries.
--   wrk -t2 -c16 -d30s --latency -s tools/load/salaries.lua http://127.0.0.1:8080/api/v1/calc/salaries
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"year": "2026/27", "married": true, "children": 2, "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}'

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("requests %d, errors %d (non-2xx %d), rps %.0f, p50 %.2f ms, p99 %.2f ms\n",
    summary.requests, errors, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
