-- topports_server: server ports sorted by network bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top TCP/UDP server ports in terms of total (in+out) bandwidth. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top TCP/UDP server ports by R+W bytes"
category = "Net"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 100, units = "bytes",
	filter = "(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true",
	keys = { "fd.sport" }, descs = { "Srv Port" },
	container_keys = { "fd.sport", "container.name" },
	container_descs = { "Srv Port", "container.name" },
}
