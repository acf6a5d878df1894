-- rchisel_statsd.lua: a statsd client over the chisel API's UDP socket
-- (sysdig.udp_setpeername / sysdig.udp_send).
--
--   local c = require("rchisel_statsd").client{ host = "127.0.0.1", port = 8125,
--                                               namespace = nil }
--   c:timer("name", ms)   c:gauge("name", v)   c:counter("name", n)
-- Each call sends one "<namespace.>name:value|kind" datagram.

local str = require("rchisel_common").str

local M = {}
local Client = {}
Client.__index = Client

function M.client(o)
	o = o or {}
	sysdig.udp_setpeername(o.host or "127.0.0.1", o.port or 8125)
	return setmetatable({ namespace = o.namespace }, Client)
end

-- statsd reserves ':', '|' and '@' in names.
function Client:send(name, value, kind)
	local prefix = self.namespace and (self.namespace .. ".") or ""
	name = string.gsub(str(name), "[:|@]", "_")
	return sysdig.udp_send(prefix .. name .. ":" .. str(value) .. "|" .. kind)
end

function Client:timer(name, ms) return self:send(name, ms, "ms") end
function Client:gauge(name, v) return self:send(name, v, "g") end
function Client:counter(name, n) return self:send(name, n, "c") end

return M
