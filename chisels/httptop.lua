-- httptop: HTTP requests (method, URL) sorted by calls, time or bytes.
-- rchisel bundled chisel.

description = "Show top HTTP requests by: ncalls, time or bytes";
short_description = "Top HTTP requests";
category = "Application";

args = {
	{
		name = "by",
		description = "Show top HTTP transactions by: ncalls, time or bytes, default is ncalls",
		argtype = "string",
		optional = true
	},
}

local http = require "rchisel_http"
local topn = require "rchisel_topn"

local UNITS = { ncalls = "none", time = "time", bytes = "bytes" }
local by = "ncalls"
local with_container = false
local tbl
local calls = {} -- table key -> transactions
local native = false -- the host parses and sums (rchisel_http.native_calls)

function on_set_arg(name, val)
	if name ~= "by" then
		return nil
	end
	if UNITS[val] == nil then
		print("Invalid argument! Valid options: ncalls, bytes, time")
		return false
	end
	by = val
	return true
end

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	native = not with_container and http.native_calls()
	local keys = with_container and { "container", "method", "url" } or { "method", "url" }
	tbl = topn.new{ keys = keys, descs = keys, value = by, value_desc = by, units = UNITS[by],
		top = 30 }
	return true
end

function on_capture_start()
	return tbl:capture_start()
end

function on_event()
	http.parse(function(t)
		local key = string.format("%s\1\1%s", t.request.method, t.request.url)
		if with_container then
			key = t.container .. "\1\1" .. key
		end
		calls[key] = calls[key] or {}
		table.insert(calls[key], t)
	end)
end

-- The value of one key: number of calls, response bytes, or mean latency.
local function value(ts)
	if by == "ncalls" then
		return #ts
	end
	local sum = 0
	for _, t in ipairs(ts) do
		if by == "bytes" then
			sum = sum + t.response.length
		else
			sum = sum + t.response.ts - t.request.ts
		end
	end
	if by == "time" then
		return sum / #ts
	end
	return sum
end

local function aggregate()
	if native then
		return chisel.native_http_take(by)
	end
	local rows = {}
	for key, ts in pairs(calls) do
		rows[key] = value(ts)
	end
	calls = {}
	return rows
end

function on_interval(ts_s, ts_ns, delta)
	tbl.rows = aggregate()
	return tbl:interval(ts_s, ts_ns, delta)
end

function on_capture_end(ts_s, ts_ns, delta)
	tbl.rows = aggregate()
	return tbl:capture_end(ts_s, ts_ns, delta)
end
