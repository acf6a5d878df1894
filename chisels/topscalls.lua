-- topscalls: system calls sorted by number of calls.
-- rchisel bundled chisel.

description = "Show the top 30 system calls in terms of number of calls. You can use filters to restrict this to a specific process, thread or file. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top system calls by number of calls"
category = "Performance"

args = {}

require("rchisel_topn").chisel{
	value = "evt.count", value_desc = "# Calls", top = 30, units = "none",
	filter = "evt.type!=switch",
	keys = { "evt.type" }, descs = { "Syscall" },
	container_keys = { "evt.type", "container.name" },
	container_descs = { "Syscall", "container.name" },
}
