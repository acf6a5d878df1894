-- topfiles_bytes: files sorted by bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top files in terms of disk usage. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top files by R+W bytes"
category = "I/O"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 10, units = "bytes",
	filter = "fd.type=file and evt.is_io=true",
	keys = { "fd.name" }, descs = { "Filename" },
	container_keys = { "container.name", "fd.name" },
	container_descs = { "container.name", "Filename" },
}
