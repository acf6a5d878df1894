-- httplog: one line per HTTP request/response pair.
-- rchisel bundled chisel.

description = "Show a log of all HTTP requests";
short_description = "HTTP requests log";
category = "Application";

args = {}

local common = require "rchisel_common"
local http = require "rchisel_http"
local with_container = false

function on_init()
	http.init()
	with_container = sysdig.is_print_container_data()
	if not with_container then
		-- (the host prints the lines, on_event is skipped)
		http.native_log()
	end
	return true
end

local function log(t)
	local container = with_container and (" " .. t.container .. " ") or " "
	print(string.format("%s%s%s method=%s url=%s response_code=%d latency=%dms size=%dB",
		http.datetime(), container, t.dir, t.request.method, t.request.url, t.response.code,
		common.trunc((t.response.ts - t.request.ts) / 1000000), t.response.length))
end

function on_event()
	http.parse(log)
end
