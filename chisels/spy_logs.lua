-- spy_logs: every line written to a log file (.log, _log, /var/log).
-- rchisel bundled chisel.

description = "This chisel intercepts all the writes to files containing '.log' or '_log' in their name, and pretty prints them. You can combine this chisel with filters like 'proc.name=foo' (to restrict the output to a specific process), or 'evt.buffer contains foo' (to show only messages including a specific string). You can also write the events generated around each log entry to file by using the dump_file_name and dump_range_ms arguments. If running from a terminal the line will be colored Green = OK; Yellow = Warn; and Red = Error. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown. ( A Blue colored container.name represents a process running within a container)";
short_description = "Echo any write made by any process to a log file. Optionally, export the events around each log message to file.";
category = "Logs";

local common = require "rchisel_common"
local spy = require "rchisel_dump"

args = spy.LOG_ARGS

local FILES = "(fd.name contains .log or fd.name contains _log or fd.name contains /var/log) and not (fd.name contains .gz or fd.name contains .tgz)"

spy.log_spy{
	filter = "(" .. FILES .. ") and evt.is_io_write=true and evt.dir=< and evt.failed=false",
	fields = { "evt.buffer", "thread.tid", "proc.name", "fd.name", "container.name" },
	init = function()
		sysdig.set_snaplen(2000)
		sysdig.set_output_format("ascii")
	end,
	summary = "Writing events for %d log entries",
	-- one line per non-empty line of the buffer
	lines = function(v, color, with_container, is_tty)
		local out = {}
		local prefix = common.str(v["proc.name"]) .. " " .. common.str(v["fd.name"]) .. " "
		local cname = v["container.name"]
		for _, msg in ipairs(common.split(v["evt.buffer"], "\n")) do
			if #msg ~= 0 then
				if is_tty then
					local c = color.green
					if string.find(string.lower(msg), "warn") ~= nil then
						c = color.yellow
					elseif string.find(msg, "err") then
						c = color.red
					end
					if with_container then
						local cc = (cname ~= "host") and color.blue or c
						out[#out + 1] = string.format("%s %s %s", c, string.format("%s %s", cc, cname),
							string.format("%s %s%s", c, prefix, msg))
					else
						out[#out + 1] = string.format("%s %s%s", c, prefix, msg)
					end
				elseif with_container then
					out[#out + 1] = string.format("%s %s%s", common.str(cname), prefix, msg)
				else
					out[#out + 1] = prefix .. msg
				end
			end
		end
		return out
	end,
}
