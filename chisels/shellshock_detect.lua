-- shellshock_detect: bash/sh started with an exported function definition
-- in its environment (the CVE-2014-6271 pattern "() {...").
-- rchisel bundled chisel. It installs the same filter as sysdig's chisel,
-- which mixes 'and' and 'or' without brackets: sysdig refuses it, and so
-- does rchisel, so the chisel stops in on_init like sysdig's.

description = "Reports every attempt to execute bash in a way that exploits the shellshock vulnerability (http://web.nvd.nist.gov/view/vuln/detail?vulnId=CVE-2014-6271). For every attempt, the chisel reports the time, the name of the process trying to run bash, and its PID.";
short_description = "print shellshock attacks";
category = "Security";

args = {}

local common = require "rchisel_common"
local pad, str = common.pad, common.str

local PATTERN = "%(%) ?{.+"
local f = {}

function on_init()
	for _, name in ipairs({ "proc.pname", "proc.ppid", "proc.pid", "evt.arg.environment", "evt.time" }) do
		f[name] = chisel.request_field(name)
	end
	chisel.set_filter("proc.name=bash or proc.name=sh and evt.type=execve")
	print(pad("TIME", 22) .. pad("PROCNAME", 22) .. pad("PID", 8) .. "FUNCTION")
	return true
end

-- The first variable of the process's environment that defines a function.
function on_event()
	local env = evt.field(f["evt.arg.environment"])
	if env == nil or string.find(env, PATTERN) == nil then
		return true
	end
	local proc = sysdig.get_thread_table()[evt.field(f["proc.pid"])]
	for _, var in ipairs(proc.env) do
		if string.find(var, PATTERN) then
			print(pad(str(evt.field(f["evt.time"])), 22) .. pad(str(evt.field(f["proc.pname"])), 22) ..
				pad(tostring(evt.field(f["proc.ppid"])), 8) .. string.match(var, "%(%).+"))
			break
		end
	end
	return true
end
