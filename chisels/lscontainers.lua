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

common.at_first_event{
	arg = "desc",
	set = function(val)
		as_data = val == "desc"
		return as_data
	end,
	dump = function()
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
	end,
}
