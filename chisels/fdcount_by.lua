-- fdcount_by: number of distinct FDs (fd number + name) seen per key.
-- rchisel bundled chisel. Prints "key<TAB>count", biggest count first.

description = "Groups all the active FDs based on the given filter field, and returns the fd count for each key. For example, it can be used to list the number of connections per process or per IP endpoint."
short_description = "FD count, aggregated by an arbitrary filter field"
category = "I/O"

args =
{
	{
		name = "key",
		description = "The filter field used for grouping",
		argtype = "string"
	},
}

local common = require "rchisel_common"
local str = common.str

local key_field = ""
local f = {}

-- key -> { count = n, seen = { [fdnum..fdname] = true } }
local groups = {}
local native = false

function on_set_arg(name, val)
	if name == "key" then
		key_field = val
		return true
	end
	return false
end

function on_init()
	f.key = chisel.request_field(key_field)
	f.fdnum = chisel.request_field("fd.num")
	f.fdname = chisel.request_field("fd.name")
	-- The host counts natively when it can (same keys and counts as
	-- on_event), and then does not call on_event.
	native = chisel.native_distinct ~= nil and chisel.native_distinct({ f.key }, { f.fdnum, f.fdname }, str)
	return true
end

function on_event()
	local key = evt.field(f.key)
	local fdnum = evt.field(f.fdnum)
	local fdname = evt.field(f.fdname)

	if key == nil or fdnum == nil or not (fdnum > 0) or fdname == nil or fdname == "" then
		return true
	end

	local g = groups[key]
	if g == nil then
		g = { count = 0, seen = {} }
		groups[key] = g
	end
	local id = str(fdnum) .. fdname
	if not g.seen[id] then
		g.seen[id] = true
		g.count = g.count + 1
	end
	return true
end

function on_capture_end()
	if native then
		for k, n in pairs(chisel.native_topn_take()) do
			groups[k] = { count = n }
		end
	end
	local keys = common.sorted_keys(groups, function(a, b)
		return groups[b].count < groups[a].count
	end)
	for _, k in ipairs(keys) do
		print(str(k) .. "\t" .. str(groups[k].count))
	end
	return true
end
