-- topprocs_net: processes sorted by network bytes read+written.
-- rchisel bundled chisel.

description = "Sort the list of the processes that use the most network bandwidth. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top processes by network I/O"
category = "Net"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 100, units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true",
	keys = { "proc.name", "proc.pid" }, descs = { "Process", "PID" },
	container_keys = { "proc.name", "proc.pid", "thread.vtid", "container.name" },
	container_descs = { "Process", "Host_pid", "Container_pid", "container.name" },
}
