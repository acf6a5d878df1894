-- memcachelog: memcached get/set commands seen on port 11211.
-- rchisel bundled chisel.

description = "Show a log of memcached commands (get/set)"
short_description = "memcached requests log"
category = "Application"

args =
{
	{
		name = "method",
		description = "get/set",
		optional = true
	},
	{
		name = "size",
		description = "object size",
		optional = true
	}
}

local common = require "rchisel_common"

local method_only, min_size
local f = {}

function on_set_arg(name, val)
	if name == "method" then
		method_only = val
		return true
	elseif name == "size" then
		min_size = tonumber(val)
		return true
	end
	return false
end

function on_init()
	sysdig.set_filter("(fd.sport=11211 or proc.name=memcached) and evt.is_io=true")
	sysdig.set_snaplen(4096)
	f.data = chisel.request_field("evt.arg[1]")
	f.datetime = chisel.request_field("evt.datetime")
	return true
end

-- "get <key>" / "set <key> <flags> <exptime> <bytes>"
function on_event()
	local words = common.split(common.str(evt.field(f.data)), " ")
	local method, key = words[1], words[2]
	if string.match(method, "^[gs]et") == nil or key == nil then
		return true
	end
	local size = tonumber(words[5]) or 0
	if method_only ~= nil and method_only ~= method then
		return true
	end
	if method_only == "set" and size < min_size then
		return true
	end
	print(string.format("%s method=%s size=%dB key=%s", common.str(evt.field(f.datetime)), method,
		size, key))
	return true
end
