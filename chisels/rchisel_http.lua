-- rchisel_http.lua: pairs HTTP requests with their responses on each
-- socket (httplog, httptop).
--
-- A request is the first buffer of a (pid, fd) that starts with an
-- upper-case method and a URL; the next buffer on that fd that holds a
-- "HTTP/x code" status line completes the transaction. Buffers are read
-- as sysdig renders them (CR LF become ".."), so headers end with "..".

local M = {}

local f = {}
local pending = {}

-- Installs the filter and the fields the parser reads.
function M.init()
	chisel.set_filter("evt.is_io=true and evt.buflen > 0 and fd.sockfamily in (ip, unix)")
	for _, name in ipairs({ "evt.buffer", "fd.num", "proc.pid", "evt.rawtime", "evt.datetime",
			"evt.io_dir", "container.name" }) do
		f[name] = chisel.request_field(name)
	end
	sysdig.set_snaplen(1024)
end

-- Hands the parsing to the host when it can (chisel.native_http_calls):
-- it then keeps, per "METHOD\1\1URL" key, what httptop shows, and
-- chisel.native_http_take(by) gives the rows. False under sysdig.
function M.native_calls()
	if chisel.native_http_calls == nil then
		return false
	end
	return chisel.native_http_calls(f["evt.buffer"], f["proc.pid"], f["fd.num"], f["evt.rawtime"])
end

-- Hands httplog's lines to the host when it can (chisel.native_http_log):
-- it then prints each completed transaction as httplog does without a
-- container. False under sysdig.
function M.native_log()
	if chisel.native_http_log == nil then
		return false
	end
	return chisel.native_http_log(f["evt.buffer"], f["proc.pid"], f["fd.num"], f["evt.rawtime"],
		f["evt.datetime"], f["evt.io_dir"])
end

-- The current event's evt.datetime.
function M.datetime()
	return evt.field(f["evt.datetime"])
end

local function request(buf)
	local method, url = string.match(buf, "^(%u+) (%g+)")
	if not (method and url) then
		return nil
	end
	local host = string.match(buf, "Host: (%g+)%.%.")
	if host then
		url = host .. url
	end
	return { method = method, url = url }
end

local function response(buf)
	local code = string.match(buf, "HTTP/[%g]+ (%d+)")
	if not code then
		return nil
	end
	local len = string.match(buf, "Content%-Length: (%d+)%.%.") or 0
	return { code = tonumber(code), length = tonumber(len) }
end

-- Feeds the current event; calls done(t) for each completed transaction
-- t = { request = {method, url, ts}, response = {code, length, ts},
-- dir = ">" (we wrote the request), "<" (we read it) or "<NA>", container }.
function M.parse(done)
	local buf = evt.field(f["evt.buffer"])
	local key = string.format("%d\1\1%d", evt.field(f["proc.pid"]), evt.field(f["fd.num"]))
	local ts = evt.field(f["evt.rawtime"])
	local t = pending[key]
	if t == nil then
		local req = request(buf)
		if req then
			local d = evt.field(f["evt.io_dir"])
			req.ts = ts
			pending[key] = { request = req, container = evt.field(f["container.name"]),
				dir = (d == "read" and "<") or (d == "write" and ">") or "<NA>" }
		end
		return
	end
	local resp = response(buf)
	if resp then
		resp.ts = ts
		t.response = resp
		done(t)
		pending[key] = nil
	end
end

return M
