-- topconns: network connections sorted by bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top network connections in terms of total (in+out) bandwidth. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top network connections by total bytes"
category = "Net"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 30, units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true",
	keys = { "fd.l4proto", "fd.name" }, descs = { "Proto", "Conn" },
	container_keys = { "container.name", "fd.l4proto", "fd.name" },
	container_descs = { "container.name", "Proto", "Conn" },
}
