-- topcontainers_net: containers sorted by network bytes read+written.
-- rchisel bundled chisel.

description = "Sorted list of containers that use the most network bandwidth."
short_description = "Top containers by network I/O"
category = "Net"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 100, units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true and container.name!=host",
	keys = { "container.name" }, descs = { "container.name" },
}
