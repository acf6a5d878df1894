-- topcontainers_file: containers sorted by file bytes read+written.
-- rchisel bundled chisel.

description = "Shows the top containers in terms of total (in+out) bytes to disk."
short_description = "Top containers by R+W disk bytes"
category = "I/O"

args = {}

require("rchisel_topn").chisel{
	value = "evt.rawarg.res", value_desc = "Bytes", top = 10, units = "bytes",
	filter = "fd.type=file and evt.is_io=true and container.name!=host",
	keys = { "container.name" }, descs = { "container.name" },
}
