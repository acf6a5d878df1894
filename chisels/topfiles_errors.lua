-- topfiles_errors: files sorted by number of failed I/O calls.
-- rchisel bundled chisel.

description = "Shows the top files in terms of I/O errors. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown."
short_description = "Top files by number of errors"
category = "Errors"

args = {}

require("rchisel_topn").chisel{
	value = "evt.count", value_desc = "#Errors", top = 100, units = "none",
	filter = "fd.type=file and evt.failed=true",
	keys = { "fd.name" }, descs = { "Filename" },
	container_keys = { "fd.name", "container.name" },
	container_descs = { "Filename", "container.name" },
}
