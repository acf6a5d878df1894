-- lscontainers: the containers known at the first event.
-- rchisel bundled chisel.

description = "List the running containers and the metadata";
short_description = "List the running containers";
category = "System State";

args =
{
	{
		name = "desc",
		description = "Prints the result set as a data structure",
		argtype = "string",
		optional = true
	}
}

local common = require "rchisel_common"
local pad = common.pad

local as_data = false
local started = false

function on_set_arg(name, val)
	if name == "desc" and val == "desc" then
		as_data = true
		return true
	end
	return false
end

function on_init()
	return true
end

function on_capture_start()
	started = true
	return true
end

function on_event()
	sysdig.end_capture()
	return true
end

function on_capture_end()
	if not started then
		return
	end
	local containers = sysdig.get_container_table()
	if as_data then
		print(common.serialize(containers))
		return
	end
	print(pad("container.type", 15) .. pad("container.image", 16) .. pad("container.name", 20) ..
		pad("container.id", 13))
	print(pad(string.rep("-", 15), 15) .. pad(string.rep("-", 16), 16) ..
		pad(string.rep("-", 20), 20) .. pad(string.rep("-", 13), 13))
	for _, id in ipairs(common.sorted_keys(containers)) do
		local c = containers[id]
		print(pad(tostring(c.type), 15) .. pad(tostring(c.image), 16) .. pad(tostring(c.name), 20) ..
			pad(tostring(c.id), 13))
	end
end
