-- topscalls_time: system calls sorted by time spent in them.
-- rchisel bundled chisel.

description = "Show the top 30 system calls in terms of time spent in each call. You can use filters to restrict this to a specific process, thread or file. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top system calls by time"
category = "Performance"

args = {}

require("rchisel_topn").chisel{
	value = "evt.latency", value_desc = "Time", top = 30, units = "time",
	filter = "",
	keys = { "evt.type" }, descs = { "Syscall" },
	container_keys = { "evt.type", "container.name" },
	container_descs = { "Syscall", "container.name" },
}
