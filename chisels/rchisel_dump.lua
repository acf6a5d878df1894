-- rchisel_dump.lua: "export the events around each match to a file", shared
-- by around, spy_logs and spy_syslog.
--
-- The chisel records the time and thread of each event it shows; at the
-- end of the capture it asks for a second run (sysdig.run_app) that reads
-- the same file and writes, to the dump file, the events of those threads
-- within dump_range_ms (default 1000) of each recorded time.

local M = {}
local Dump = {}
Dump.__index = Dump

function M.new()
	return setmetatable({ file = nil, range_ms = "1000", entries = {} }, Dump)
end

-- Handles the dump_file_name / dump_range_ms arguments; false for others.
function Dump:set_arg(name, val)
	if name == "dump_file_name" then
		self.file = val
		return true
	elseif name == "dump_range_ms" then
		self.range_ms = val
		return true
	end
	return false
end

function Dump:enabled()
	return self.file ~= nil
end

-- Remembers the current event's time and thread `tid`.
function Dump:record(tid)
	local s, ns = evt.get_ts()
	self.entries[#self.entries + 1] = { string.format("%u%.9u", s, ns), tid }
end

function Dump:count()
	return #self.entries
end

-- Requests the second run that writes the dump file.
function Dump:run()
	local parts = {}
	for i, e in ipairs(self.entries) do
		parts[i] = "(evt.around[" .. e[1] .. "]=" .. self.range_ms .. " and thread.tid=" ..
			require("rchisel_common").str(e[2]) .. ")"
	end
	sysdig.run_app("-F -r" .. sysdig.get_evtsource_name() .. " -w" .. self.file .. " " ..
		table.concat(parts, " or "))
end

-- The arguments of the log spies (spy_logs, spy_syslog): `args = spy.LOG_ARGS`.
M.LOG_ARGS = {
	{
		name = "dump_file_name",
		description = "The name of the file where the chisel will write the events related to each syslog entry.",
		argtype = "string",
		optional = true
	},
	{
		name = "dump_range_ms",
		description = "The time interval to capture *before* and *after* each event, in milliseconds. For example, 500 means that 1 second around each displayed event (.5s before and .5s after) will be saved to <dump_file_name>. The default value for dump_range_ms is 1000.",
		argtype = "int",
		optional = true
	},
	{
		name = "disable_color",
		description = "Set to 'disable_colors' if you want to disable color output",
		argtype = "string",
		optional = true
	},
}

-- Defines the callbacks of a log spy (spy_logs, spy_syslog). spec fields:
--   filter   the chisel filter
--   fields   the fields to read for each event
--   init     called from on_init (snaplen, output format)
--   summary  the line printed before the second run ("%d" = entries)
--   lines(values, color, with_container, is_tty)  the lines to print for
--            an event (values: field name -> value)
-- Arguments: dump_file_name, dump_range_ms, disable_color.
function M.log_spy(spec)
	local common = require "rchisel_common"
	local dump = M.new()
	local color = common.colors(true)
	local ids = {}
	local with_container, is_tty, started = false, false, false

	function on_set_arg(name, val)
		if dump:set_arg(name, val) then
			return true
		elseif name == "disable_color" and val == "disable_color" then
			color = common.colors(false)
			return true
		end
		return false
	end

	function on_init()
		for _, name in ipairs(spec.fields) do
			ids[name] = chisel.request_field(name)
		end
		with_container = sysdig.is_print_container_data()
		spec.init()
		chisel.set_filter(spec.filter)
		is_tty = sysdig.is_tty()
		return true
	end

	function on_capture_start()
		if dump:enabled() and sysdig.is_live() then
			print("events export not supported on live captures")
			return false
		end
		started = true
		return true
	end

	function on_event()
		local v = {}
		for name, id in pairs(ids) do
			v[name] = evt.field(id)
		end
		for _, line in ipairs(spec.lines(v, color, with_container, is_tty)) do
			print(line)
		end
		if dump:enabled() then
			dump:record(v["thread.tid"])
		end
		return true
	end

	function on_capture_end()
		if is_tty then
			print(color.reset)
		end
		if dump:enabled() and started then
			print(string.format(spec.summary, dump:count()))
			dump:run()
		end
	end
end

return M
