-- topfiles_time: files sorted by time spent in I/O calls.
-- rchisel bundled chisel.

description = "Shows the top files in terms of disk usage. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top files by time"
category = "I/O"

args = {}

require("rchisel_topn").chisel{
	value = "evt.latency", value_desc = "Time", top = 10, units = "time",
	filter = "fd.type=file and evt.is_io=true",
	keys = { "fd.name" }, descs = { "Filename" },
	container_keys = { "fd.name", "container.name" },
	container_descs = { "Filename", "container.name" },
}
