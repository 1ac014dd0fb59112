-- wrk script for bench/run.sh: replays a table of precomputed requests, round robin.
--
-- BENCH_SPEC names a tab-separated file written by bench/lib/driver.py:
--   line 1:  key=value fields: method=GET|PUT, host=<Host header>, body=<file or empty>, stop=1 (stop once the
--            table is used up instead of wrapping around: used to populate the LIST bucket)
--   others:  <path>\t<Header: value>\t<Header: value>...   (one request each, e.g. a signed URL or its headers)
-- Each thread of wrk -tN (BENCH_THREADS=N) takes every Nth line. done() prints one line "BENCH {json}" with exact counts and the
-- latency percentiles (microseconds), which the driver parses; "wraps" counts how often the table was reused.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

local heads, n, i, body, stop_at_end = {}, 0, 0, nil, false
wraps = 0

local function split(s, sep)
   local out, from = {}, 1
   while true do
      local a, b = string.find(s, sep, from, true)
      if not a then out[#out + 1] = string.sub(s, from); return out end
      out[#out + 1] = string.sub(s, from, a - 1)
      from = b + 1
   end
end

function init(args)
   local spec = os.getenv("BENCH_SPEC")
   local method, host = "GET", "127.0.0.1"
   local line_no, k = 0, 0
   -- setup() of thread k+1 runs after init() of thread k, so the thread count comes from the driver
   nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
   local me, count = id or 0, nthreads
   for line in io.lines(spec) do
      line_no = line_no + 1
      if line_no == 1 then
         for _, kv in ipairs(split(line, "\t")) do
            local eq = string.find(kv, "=", 1, true)
            local key, value = string.sub(kv, 1, eq - 1), string.sub(kv, eq + 1)
            if key == "method" then method = value
            elseif key == "host" then host = value
            elseif key == "body" and value ~= "" then
               local f = assert(io.open(value, "rb")); body = f:read("*a"); f:close()
            elseif key == "stop" then stop_at_end = (value == "1") end
         end
      elseif line ~= "" then
         if k % count == me then
            local f = split(line, "\t")
            local parts = { method .. " " .. f[1] .. " HTTP/1.1", "Host: " .. host }
            for j = 2, #f do parts[#parts + 1] = f[j] end
            if body then parts[#parts + 1] = "Content-Length: " .. #body end
            heads[#heads + 1] = table.concat(parts, "\r\n") .. "\r\n\r\n"
         end
         k = k + 1
      end
   end
   n = #heads
   assert(n > 0, "no requests in " .. spec)
   if method ~= "GET" then
      -- writes: keep the first failed answer, for the report (wrk only counts them). Not for GETs: a response()
      -- function makes wrk collect every response's headers and body, which would slow the client down
      response = function(status, headers, body)
         if status > 399 and not first_bad then
            first_bad = status .. " " .. string.gsub(string.sub(body or "", 1, 400), "[\r\n\t]", " ")
         end
      end
   end
end

function request()
   i = i + 1
   if i > n then
      i = 1
      wraps = wraps + 1
      if stop_at_end then
         -- this thread's share is done: leave a marker; the last thread to finish interrupts wrk (SIGINT makes it
         -- stop at once and print its summary, instead of sleeping out -d)
         local spec = os.getenv("BENCH_SPEC")
         local m = assert(io.open(spec .. ".done." .. (id or 0), "w")); m:close()
         local finished = 0
         for t = 0, nthreads - 1 do
            local f = io.open(spec .. ".done." .. t, "r")
            if f then f:close(); finished = finished + 1 end
         end
         -- system() ignores SIGINT while it runs, so the signal is sent a moment later, from the background
         if finished >= nthreads then os.execute("(sleep 0.2; kill -INT $PPID) >/dev/null 2>&1 &") end
         wrk.thread:stop()
      end
   end
   if body then return heads[i] .. body end
   return heads[i]
end

function done(summary, latency, requests)
   local w = 0
   for _, t in ipairs(threads) do
      w = w + (t:get("wraps") or 0)
      local bad = t:get("first_bad")
      if bad then io.write("BENCHBAD " .. bad .. "\n") end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests":%d,"bytes":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,' ..
      '"read_errors":%d,"write_errors":%d,"timeouts":%d,"wraps":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
      '"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
      summary.requests, summary.bytes, summary.duration, e.status, e.connect, e.read, e.write, e.timeout, w,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max, latency.mean))
end
