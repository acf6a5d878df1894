-- spy_syslog: every message written to syslog (/dev/log).
-- rchisel bundled chisel. Without a terminal and with -pc, the columns come
-- in sysdig's order: facility, container id, container name, severity.

description = "Print every message written to syslog by any process. You can combine this chisel with filters like 'proc.name=foo' (to restrict the output to a specific process), or 'syslog.message contains foo' (to show only messages including a specific string). You can also write the events generated around each log entry to file by using the dump_file_name and dump_range_ms arguments.";
short_description = "Print every message written to syslog. Optionally, export the events around each syslog message to file.";
category = "Logs";

local str = require("rchisel_common").str
local spy = require "rchisel_dump"

args = spy.LOG_ARGS

spy.log_spy{
	filter = "fd.name contains /dev/log and evt.is_io_write=true and evt.dir=< and evt.failed=false",
	fields = { "syslog.facility.str", "syslog.severity.str", "syslog.severity", "syslog.message",
		"thread.tid", "proc.name", "container.name", "container.id" },
	init = function() sysdig.set_snaplen(1000) end,
	summary = "Writing events for %d log entries",
	lines = function(v, color, with_container, is_tty)
		local fac, sev, msg = str(v["syslog.facility.str"]), str(v["syslog.severity.str"]), str(v["syslog.message"])
		local pname, tid = str(v["proc.name"]), str(v["thread.tid"])
		local cid, cname = str(v["container.id"]), str(v["container.name"])
		if not is_tty then
			if with_container then
				return { string.format("%-20s %-20s %s.%s %s[%s] %s", fac, cid, cname, sev, pname, tid, msg) }
			end
			return { string.format("%s.%s %s[%s] %s", fac, sev, pname, tid, msg) }
		end
		local code = v["syslog.severity"]
		local c = color.green
		if code == 4 then
			c = color.yellow
		elseif code < 4 then
			c = color.red
		elseif cname ~= "host" then
			c = color.blue
		end
		if with_container then
			return { string.format("%s%-20s %-20s %s.%s %s[%s] %s", c, cid, cname, fac, sev, pname, tid, msg) }
		end
		return { string.format("%s%s.%s %s[%s] %s", c, fac, sev, pname, tid, msg) }
	end,
}
